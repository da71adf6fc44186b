using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Agepar.Data.Migrations
{
    /// <summary>
    /// <c>audit_imports</c>: the audit id ranges the importer wrote into a database whose audit chain had already
    /// started (issue 11). Imported history carries its original, old <c>occurred_at</c>, so the chain verifier would
    /// report every such row as back-dated; a row inside a recorded range is reported as imported instead, and a
    /// back-dated row outside every range is still a break. Append-only like <c>audits</c>; the owner (the importer
    /// runs as <c>agepar_owner</c>) writes it, in the same transaction as the rows, and the application role only reads
    /// it (the verifier). No EF model change: read and written with SQL (docs/schema.md, "Audit chain").
    /// </summary>
    public partial class AuditImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(CreateTable);
            migrationBuilder.Sql(GrantAppRole);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS audit_imports;");
        }

        // Frozen with the migration: never edit once applied anywhere.
        private const string CreateTable = """
            CREATE TABLE audit_imports (
                id             bigint GENERATED ALWAYS AS IDENTITY,
                first_audit_id bigint      NOT NULL,
                last_audit_id  bigint      NOT NULL,
                row_count      bigint      NOT NULL,
                source         text        NOT NULL,
                imported_at    timestamptz NOT NULL DEFAULT now(),
                imported_by    text        NOT NULL DEFAULT session_user,
                CONSTRAINT pk_audit_imports PRIMARY KEY (id),
                CONSTRAINT ck_audit_imports_range CHECK (first_audit_id >= 1 AND first_audit_id <= last_audit_id),
                -- The importer locks audits while it writes, so its rows take a contiguous id range (gaps only from
                -- ids a rolled-back insert consumed): never more rows than ids.
                CONSTRAINT ck_audit_imports_rows CHECK (row_count >= 1 AND row_count <= last_audit_id - first_audit_id + 1)
            );

            CREATE TRIGGER audit_imports_append_only BEFORE UPDATE OR DELETE ON audit_imports
                FOR EACH ROW EXECUTE FUNCTION audits_append_only();
            CREATE TRIGGER audit_imports_no_truncate BEFORE TRUNCATE ON audit_imports
                FOR EACH STATEMENT EXECUTE FUNCTION audits_append_only();

            REVOKE ALL ON audit_imports FROM PUBLIC;
            REVOKE ALL ON SEQUENCE audit_imports_id_seq FROM PUBLIC;
            """;

        private const string GrantAppRole = """
            DO $grants$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'agepar_user') THEN
                    RAISE NOTICE 'role agepar_user does not exist: grants skipped';
                    RETURN;
                END IF;
                -- The owner's default privileges give new tables and sequences DML/USAGE: this one is read-only.
                REVOKE ALL ON audit_imports FROM agepar_user;
                REVOKE ALL ON SEQUENCE audit_imports_id_seq FROM agepar_user;
                GRANT SELECT ON audit_imports TO agepar_user;
            END
            $grants$;
            """;
    }
}
