using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Agepar.Data.Migrations
{
    /// <summary>
    /// Lets the application role keep the audit partitions ahead without DDL rights: a SECURITY DEFINER wrapper around
    /// <c>ensure_audit_partitions</c>, owned by the migrations role, that only creates partitions for the current month
    /// and at most the next 12. The BFF's maintenance job calls it, so partitions keep being created between deployments.
    /// Also indexes <c>sessions.expires_at</c> for the session retention.
    /// </summary>
    public partial class MaintenanceFunctions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Session retention deletes by expiry.
            migrationBuilder.CreateIndex(
                name: "ix_sessions_expires_at",
                table: "sessions",
                column: "expires_at");

            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION maintain_audit_partitions(p_months_ahead integer) RETURNS SETOF text
                LANGUAGE plpgsql
                SECURITY DEFINER
                SET search_path = pg_catalog, public
                AS $fn$
                BEGIN
                    IF p_months_ahead IS NULL OR p_months_ahead < 0 OR p_months_ahead > 12 THEN
                        RAISE EXCEPTION 'p_months_ahead must be between 0 and 12 (got %)', p_months_ahead
                            USING ERRCODE = 'invalid_parameter_value';
                    END IF;
                    RETURN QUERY SELECT p FROM public.ensure_audit_partitions(p_months_ahead) AS p;
                END
                $fn$;
                REVOKE ALL ON FUNCTION maintain_audit_partitions(integer) FROM PUBLIC;
                """);

            migrationBuilder.Sql("""
                DO $grants$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agepar_user') THEN
                        RAISE NOTICE 'role agepar_user does not exist: grant skipped';
                        RETURN;
                    END IF;
                    GRANT EXECUTE ON FUNCTION maintain_audit_partitions(integer) TO agepar_user;
                END
                $grants$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS maintain_audit_partitions(integer);");

            migrationBuilder.DropIndex(
                name: "ix_sessions_expires_at",
                table: "sessions");
        }
    }
}
