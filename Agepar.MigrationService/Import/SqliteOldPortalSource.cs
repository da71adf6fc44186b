using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Agepar.MigrationService.Import;

/// <summary>
/// The old portal's SQLite dev database (≤ 2025-09-10, original-portal.md §1.7): <c>submissions</c> with TEXT
/// timestamps and TEXT JSON, and <c>audits(id, at, actor_cpf, actor_nome, kind, action, meta)</c>. Opened read-only.
/// </summary>
internal sealed class SqliteOldPortalSource(string path, string label) : IOldPortalSource
{
    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz", "yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd HH:mm:sszzz",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", "yyyy-MM-ddTHH:mm:ssZ",
    ];

    public string Label => label;

    public bool HasAuthTables => false;

    public string AutomationAuditsTable => "audits";

    public static SqliteOldPortalSource Open(string path, string? label)
    {
        if (!File.Exists(path))
        {
            throw new ImportRefusedException($"SQLite file '{path}' does not exist.");
        }

        return new SqliteOldPortalSource(Path.GetFullPath(path), label ?? $"sqlite:{Path.GetFileName(path)}");
    }

    public IAsyncEnumerable<OldUser> ReadUsersAsync(CancellationToken ct) => AsyncEnumerable.Empty<OldUser>();

    public IAsyncEnumerable<OldRole> ReadRolesAsync(CancellationToken ct) => AsyncEnumerable.Empty<OldRole>();

    public IAsyncEnumerable<OldUserRole> ReadUserRolesAsync(CancellationToken ct) => AsyncEnumerable.Empty<OldUserRole>();

    public IAsyncEnumerable<OldSubmission> ReadSubmissionsAsync(CancellationToken ct) => ReadAsync(
        "SELECT id, kind, version, actor_cpf, actor_nome, actor_email, payload, status, result, error, created_at, updated_at FROM submissions ORDER BY created_at, id",
        r => new OldSubmission(Str(r, 0), Str(r, 1), Str(r, 2), Str(r, 3), Str(r, 4), Str(r, 5), Str(r, 6), Str(r, 7), Str(r, 8), Str(r, 9), Time(r, 10), Time(r, 11)),
        ct);

    public IAsyncEnumerable<OldAutomationAudit> ReadAutomationAuditsAsync(CancellationToken ct) => ReadAsync(
        "SELECT id, at, actor_cpf, actor_nome, kind, action, meta FROM audits ORDER BY id",
        r => new OldAutomationAudit(r.GetInt64(0), Time(r, 1), Str(r, 2), Str(r, 3), Str(r, 4), Str(r, 5), Str(r, 6)),
        ct);

    public IAsyncEnumerable<OldAuditEvent> ReadAuditEventsAsync(CancellationToken ct) => AsyncEnumerable.Empty<OldAuditEvent>();

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    /// <summary>SQLite stores timestamps as text (<c>datetime('now')</c> or Python's isoformat); no offset means UTC.</summary>
    internal static DateTimeOffset? ParseTime(string? text) =>
        text is not null && DateTimeOffset.TryParseExact(text.Trim(), TimeFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;

    private async IAsyncEnumerable<T> ReadAsync<T>(string sql, Func<DbDataReader, T> map, [EnumeratorCancellation] CancellationToken ct)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly };
        await using var connection = new SqliteConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return map(reader);
        }
    }

    private static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture);

    private static DateTimeOffset? Time(DbDataReader r, int i) => ParseTime(Str(r, i));
}
