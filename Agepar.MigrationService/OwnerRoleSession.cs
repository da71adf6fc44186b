using System.Data.Common;
using Agepar.Data;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Agepar.MigrationService;

/// <summary>
/// Makes a session of <c>agepar_admin</c> act as the NOLOGIN owner <c>agepar_owner</c> (<c>SET ROLE</c>) where the
/// database is provisioned for it, i.e. where <c>agepar_owner</c> owns schema <c>public</c>: then every table,
/// partition and function a migration or the importer creates is the owner's, and the owner's default privileges give
/// the application role its grants. Elsewhere (a database provisioned by hand before the owner role, a developer or
/// test database owned by <c>agepar_admin</c>) it changes nothing and the session works as before. Where the schema is
/// the owner's but the login is not a member of it, <c>SET ROLE</c> fails and so does the run, loudly, instead of
/// creating objects the application role cannot use.
/// </summary>
/// <remarks>
/// A session-level <c>SET ROLE</c>, not <c>Options=-c role=…</c> in the connection string: the decision needs the
/// catalog, and provisioning (which creates the role) runs in the same process just before. Npgsql's DISCARD ALL on
/// returning a connection to its pool resets the role, so the EF interceptor runs it on every open. The migration
/// service connects to PostgreSQL directly (pgBouncer is only in the BFF's path), so the setting is the session's.
/// </remarks>
internal static class OwnerRoleSession
{
    /// <summary>Idempotent; one round trip. Schema-qualified so a planted <c>pg_temp</c> relation cannot answer for the catalog.</summary>
    public const string AssumeSql = $"""
        DO $owner$
        BEGIN
            IF (SELECT n.nspowner FROM pg_catalog.pg_namespace n WHERE n.nspname = 'public')
               = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = '{DatabaseObjects.OwnerRole}') THEN
                SET ROLE {DatabaseObjects.OwnerRole};
            END IF;
        END
        $owner$;
        """;

    public static async Task AssumeAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = AssumeSql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// A data source for the migration service's own SQL (the CPF key check and backfill, the chain re-seal, the key
    /// rotation) whose every session acts as the owner like the EF context's: <see cref="AssumeSql"/> when a physical
    /// connection opens, and no reset on return to the pool (DISCARD ALL would drop the role; these sessions keep no
    /// other state between uses).
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString);
        builder.UsePhysicalConnectionInitializer(
            connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = AssumeSql;
                command.ExecuteNonQuery();
            },
            connection => AssumeAsync(connection, null, CancellationToken.None));
        return builder.Build();
    }

    /// <summary>EF: <see cref="AssumeSql"/> on every connection the context opens (migrations, the partition call, the audit rows).</summary>
    public sealed class Interceptor : DbConnectionInterceptor
    {
        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = AssumeSql;
            command.ExecuteNonQuery();
        }

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
            AssumeAsync(connection, null, cancellationToken);
    }
}
