using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Agepar.Data.Migrations
{
    /// <summary>
    /// Encrypted CPFs, step 1 of 2 (docs/schema.md, "Encrypted CPFs"): the ciphertext and blind-index columns next to
    /// the clear ones, the data-key canary and the record of audit chain re-seals. The migration service then encrypts
    /// the existing clear values in batches and re-seals the audit chain (CpfBackfill, with the key, which SQL never
    /// sees); DropClearCpf drops the clear columns and refuses to run while one clear value is left.
    /// </summary>
    public partial class EncryptedCpf : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(AddColumns);
            migrationBuilder.Sql(CreateTables);
            migrationBuilder.Sql(GrantAppRole);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TABLE IF EXISTS audit_chain_reseals;
                DROP TABLE IF EXISTS data_key_state;
                ALTER TABLE audits DROP COLUMN IF EXISTS actor_cpf_encrypted, DROP COLUMN IF EXISTS actor_cpf_hmac;
                ALTER TABLE submissions DROP CONSTRAINT IF EXISTS ck_submissions_actor_cpf_encrypted,
                    DROP CONSTRAINT IF EXISTS ck_submissions_actor_cpf_pair,
                    DROP COLUMN IF EXISTS actor_cpf_encrypted, DROP COLUMN IF EXISTS actor_cpf_hmac;
                ALTER TABLE users DROP CONSTRAINT IF EXISTS ck_users_cpf_encrypted, DROP CONSTRAINT IF EXISTS ck_users_cpf_pair,
                    DROP COLUMN IF EXISTS cpf_encrypted, DROP COLUMN IF EXISTS cpf_hmac;
                """);
        }

        private const string AddColumns = """
            ALTER TABLE users
                ADD COLUMN cpf_encrypted bytea,
                ADD COLUMN cpf_hmac bytea,
                ADD CONSTRAINT ck_users_cpf_encrypted CHECK (octet_length(cpf_encrypted) = 44 AND octet_length(cpf_hmac) = 32),
                ADD CONSTRAINT ck_users_cpf_pair CHECK ((cpf_encrypted IS NULL) = (cpf_hmac IS NULL));
            -- Sign-in by CPF, uniqueness and the panel's actor filter, by blind index.
            CREATE UNIQUE INDEX ux_users_cpf_hmac ON users (cpf_hmac);

            ALTER TABLE submissions
                ADD COLUMN actor_cpf_encrypted bytea,
                ADD COLUMN actor_cpf_hmac bytea,
                ADD CONSTRAINT ck_submissions_actor_cpf_encrypted CHECK (octet_length(actor_cpf_encrypted) = 44 AND octet_length(actor_cpf_hmac) = 32),
                ADD CONSTRAINT ck_submissions_actor_cpf_pair CHECK ((actor_cpf_encrypted IS NULL) = (actor_cpf_hmac IS NULL));

            -- On the partitioned parent: every partition, present and future, gets the columns (no rewrite: nullable, no default).
            ALTER TABLE audits
                ADD COLUMN actor_cpf_encrypted bytea,
                ADD COLUMN actor_cpf_hmac bytea,
                ADD CONSTRAINT ck_audits_actor_cpf_encrypted CHECK (octet_length(actor_cpf_encrypted) = 44 AND octet_length(actor_cpf_hmac) = 32),
                ADD CONSTRAINT ck_audits_actor_cpf_pair CHECK ((actor_cpf_encrypted IS NULL) = (actor_cpf_hmac IS NULL));
            """;

        private const string CreateTables = """
            -- One row: the id of the data key the database's CPFs are under, a canary encrypted with it and the blind
            -- index of the canary. The BFF and the migration service decrypt the canary at startup, so a wrong
            -- data-encryption-key or data-index-key fails loudly instead of writing CPFs nobody can read or find.
            CREATE TABLE data_key_state (
                only_row      boolean     NOT NULL DEFAULT true,
                key_id        integer     NOT NULL,
                canary        bytea       NOT NULL,
                index_canary  bytea       NOT NULL,
                updated_at    timestamptz NOT NULL DEFAULT now(),
                CONSTRAINT pk_data_key_state PRIMARY KEY (only_row),
                CONSTRAINT ck_data_key_state_only_row CHECK (only_row),
                CONSTRAINT ck_data_key_state_canary CHECK (octet_length(canary) = 44 AND octet_length(index_canary) = 32)
            );

            -- Each re-seal of the audit chain under a new encoding: the old head and the new one, so the change of
            -- every link is itself on record. Append-only like the chain.
            CREATE TABLE audit_chain_reseals (
                id                bigint GENERATED ALWAYS AS IDENTITY,
                encoding_version  integer     NOT NULL,
                seal_count        bigint      NOT NULL,
                old_head_seq      bigint      NOT NULL,
                old_head_link     bytea       NOT NULL,
                new_head_link     bytea       NOT NULL,
                reason            text        NOT NULL,
                resealed_at       timestamptz NOT NULL DEFAULT now(),
                resealed_by       text        NOT NULL DEFAULT current_user,
                CONSTRAINT pk_audit_chain_reseals PRIMARY KEY (id),
                CONSTRAINT ux_audit_chain_reseals_version UNIQUE (encoding_version)
            );
            CREATE TRIGGER audit_chain_reseals_append_only BEFORE UPDATE OR DELETE ON audit_chain_reseals
                FOR EACH ROW EXECUTE FUNCTION audits_append_only();
            CREATE TRIGGER audit_chain_reseals_no_truncate BEFORE TRUNCATE ON audit_chain_reseals
                FOR EACH STATEMENT EXECUTE FUNCTION audits_append_only();

            REVOKE ALL ON data_key_state, audit_chain_reseals FROM PUBLIC;
            """;

        private const string GrantAppRole = """
            DO $grants$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'agepar_user') THEN
                    RAISE NOTICE 'role agepar_user does not exist: grants skipped';
                    RETURN;
                END IF;
                -- The default privileges give app tables full DML; the application only reads these two.
                REVOKE ALL ON data_key_state, audit_chain_reseals FROM agepar_user;
                GRANT SELECT ON data_key_state, audit_chain_reseals TO agepar_user;
            END
            $grants$;
            """;
    }
}
