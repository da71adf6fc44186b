using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Agepar.Data.Migrations
{
    /// <summary>
    /// The schema's owner becomes the NOLOGIN role <c>agepar_owner</c> (provisioning moves the ownership; the migration
    /// service acts as the owner through <c>SET ROLE</c>, so <c>current_user</c> is <c>agepar_owner</c> in every DDL).
    /// Two consequences here: <c>audit_partition_drops.dropped_by</c> records <c>session_user</c>, the login that ran
    /// the retention (e.g. <c>agepar_admin</c>), instead of <c>current_user</c>, which would now always say
    /// <c>agepar_owner</c>; and the application role keeps only SELECT on the migrations history (the owner's default
    /// privileges give every new table full DML to <c>agepar_user</c>, and nothing in the app writes the history).
    /// </summary>
    public partial class OwnerRole : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE audit_partition_drops ALTER COLUMN dropped_by SET DEFAULT session_user;
                """);
            migrationBuilder.Sql($"""
                DO $grants$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'agepar_user') THEN
                        RAISE NOTICE 'role agepar_user does not exist: grants skipped';
                        RETURN;
                    END IF;
                    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {DatabaseObjects.MigrationsHistoryTable} FROM agepar_user;
                    GRANT SELECT ON {DatabaseObjects.MigrationsHistoryTable} TO agepar_user;
                END
                $grants$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The history grants stay narrowed: the application role never needed to write the history.
            migrationBuilder.Sql("""
                ALTER TABLE audit_partition_drops ALTER COLUMN dropped_by SET DEFAULT current_user;
                """);
        }
    }
}
