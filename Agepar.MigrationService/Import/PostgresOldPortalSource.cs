using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;

namespace Agepar.MigrationService.Import;

/// <summary>The current portal's PostgreSQL database (layout: original-portal.md §1.1 and §1.3). Read-only.</summary>
internal sealed class PostgresOldPortalSource(NpgsqlDataSource dataSource, string label) : IOldPortalSource
{
    public string Label => label;

    public bool HasAuthTables => true;

    public string AutomationAuditsTable => "automation_audits";

    public static PostgresOldPortalSource Open(string connectionString, string? label)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 };
        return new PostgresOldPortalSource(NpgsqlDataSource.Create(builder), label ?? $"pg:{builder.Database}");
    }

    public IAsyncEnumerable<OldUser> ReadUsersAsync(CancellationToken ct) => ReadAsync(
        "SELECT id, cpf, email::text, name, password_hash, status, is_superuser, must_change_password, last_login_at, created_at FROM users ORDER BY created_at, id",
        r => new OldUser(r.GetGuid(0), Str(r, 1), Str(r, 2), Str(r, 3), Str(r, 4), Str(r, 5), r.GetBoolean(6), r.GetBoolean(7), Time(r, 8), Time(r, 9)),
        ct);

    public IAsyncEnumerable<OldRole> ReadRolesAsync(CancellationToken ct) => ReadAsync(
        "SELECT id, name, description, created_at FROM roles ORDER BY created_at, name",
        r => new OldRole(r.GetGuid(0), Str(r, 1), Str(r, 2), Time(r, 3)),
        ct);

    public IAsyncEnumerable<OldUserRole> ReadUserRolesAsync(CancellationToken ct) => ReadAsync(
        "SELECT user_id, role_id, granted_at FROM user_roles ORDER BY user_id, role_id",
        r => new OldUserRole(r.GetGuid(0), r.GetGuid(1), Time(r, 2)),
        ct);

    public IAsyncEnumerable<OldSubmission> ReadSubmissionsAsync(CancellationToken ct) => ReadAsync(
        "SELECT id, kind, version, actor_cpf, actor_nome, actor_email, payload::text, status, result::text, error, created_at, updated_at FROM submissions ORDER BY created_at, id",
        r => new OldSubmission(Str(r, 0), Str(r, 1), Str(r, 2), Str(r, 3), Str(r, 4), Str(r, 5), Str(r, 6), Str(r, 7), Str(r, 8), Str(r, 9), Time(r, 10), Time(r, 11)),
        ct);

    public IAsyncEnumerable<OldAutomationAudit> ReadAutomationAuditsAsync(CancellationToken ct) => ReadAsync(
        "SELECT id, at, actor_cpf, actor_nome, kind, action, meta::text FROM automation_audits ORDER BY id",
        r => new OldAutomationAudit(r.GetInt64(0), Time(r, 1), Str(r, 2), Str(r, 3), Str(r, 4), Str(r, 5), Str(r, 6)),
        ct);

    public IAsyncEnumerable<OldAuditEvent> ReadAuditEventsAsync(CancellationToken ct) => ReadAsync(
        "SELECT id, at, actor_user_id, action, object_type, object_id, message, metadata::text, host(ip), user_agent FROM audit_events ORDER BY id",
        r => new OldAuditEvent(r.GetInt64(0), Time(r, 1), r.IsDBNull(2) ? null : r.GetGuid(2), Str(r, 3), Str(r, 4), Str(r, 5), Str(r, 6), Str(r, 7), Str(r, 8), Str(r, 9)),
        ct);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    private async IAsyncEnumerable<T> ReadAsync<T>(string sql, Func<DbDataReader, T> map, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // One snapshot per table, read-only: the old portal is frozen anyway, but the importer must never write there.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(ct);
        }

        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return map(reader);
        }
    }

    private static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? Time(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
}
