using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Agepar.Data.Migrations
{
    /// <summary>
    /// Encrypted CPFs, step 2 of 2: drops the clear CPF columns. The migration service runs it only after CpfBackfill
    /// (docs/schema.md); run any other way it refuses while a clear CPF has no ciphertext yet, a login attempt still
    /// names a CPF in clear, or sealed audit rows were not re-sealed under encoding 2 — nothing is lost by mistake.
    /// </summary>
    public partial class DropClearCpf : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $guard$
                BEGIN
                    IF EXISTS (SELECT 1 FROM users WHERE cpf IS NOT NULL AND cpf_encrypted IS NULL)
                       OR EXISTS (SELECT 1 FROM submissions WHERE actor_cpf IS NOT NULL AND actor_cpf_encrypted IS NULL)
                       OR EXISTS (SELECT 1 FROM audits WHERE actor_cpf IS NOT NULL AND actor_cpf_encrypted IS NULL)
                       OR EXISTS (SELECT 1 FROM login_attempts WHERE identifier ~ '^[0-9]{11}$') THEN
                        RAISE EXCEPTION 'clear CPFs are not all encrypted yet: run the migration service (CpfBackfill) with data-encryption-key and data-index-key';
                    END IF;
                    IF EXISTS (SELECT 1 FROM audit_seals) AND NOT EXISTS (SELECT 1 FROM audit_chain_reseals WHERE encoding_version = 2) THEN
                        RAISE EXCEPTION 'the audit chain is not re-sealed under encoding 2 yet: run the migration service (CpfBackfill)';
                    END IF;
                END
                $guard$;

                ALTER TABLE users DROP CONSTRAINT ck_users_cpf, DROP COLUMN cpf;
                ALTER TABLE submissions DROP CONSTRAINT ck_submissions_actor_cpf, DROP COLUMN actor_cpf;
                ALTER TABLE audits DROP COLUMN actor_cpf;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The clear values are gone; the columns come back empty (decrypting back needs the key: not in SQL).
            migrationBuilder.Sql("""
                ALTER TABLE users ADD COLUMN cpf character(11), ADD CONSTRAINT ck_users_cpf CHECK (cpf ~ '^[0-9]{11}$');
                CREATE UNIQUE INDEX ux_users_cpf ON users (cpf);
                ALTER TABLE submissions ADD COLUMN actor_cpf character(11), ADD CONSTRAINT ck_submissions_actor_cpf CHECK (actor_cpf ~ '^[0-9]{11}$');
                ALTER TABLE audits ADD COLUMN actor_cpf character(11);
                """);
        }
    }
}
