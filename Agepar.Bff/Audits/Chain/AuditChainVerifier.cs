using Agepar.Data;
using Agepar.Data.Audits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Agepar.Bff.Audits.Chain;

/// <summary>
/// Recomputes the chain from the database (read-only, as the application role): every seal against its audit row
/// and the previous link, the rows that should be sealed but are not, and the recorded partition drops. The rules
/// are in <see cref="ChainChecker"/>; a full verification (no since/until) also updates <see cref="AuditChainStatus"/>.
/// </summary>
internal sealed partial class AuditChainVerifier(
    IServiceScopeFactory scopes, IOptions<AuditChainOptions> options, AuditChainStatus status, TimeProvider clock, ILogger<AuditChainVerifier> logger)
{
    private const string SealsSql = $"""
        SELECT s.seq, s.audit_id, s.occurred_at, s.sealed_at, s.link, p.link AS previous_link, a.id IS NOT NULL AS present,
               {AuditChainEncoding.CanonicalColumns}
          FROM audit_seals s
          LEFT JOIN audit_seals p ON p.seq = s.seq - 1
          LEFT JOIN audits a ON a.id = s.audit_id
         WHERE (@since::timestamptz IS NULL OR s.occurred_at >= @since)
           AND (@until::timestamptz IS NULL OR s.occurred_at < @until)
         ORDER BY s.seq
        """;

    // Rows older than MaxSealLag without a seal: back-dated inserts (or a sealer that stopped). Rows of the chain's
    // start that the sealer has not reached yet are left to it.
    private const string UnsealedSql = """
        SELECT a.id, a.occurred_at
          FROM audits a
         WHERE a.occurred_at < now() - @lag
           AND (@since::timestamptz IS NULL OR a.occurred_at >= @since)
           AND (@until::timestamptz IS NULL OR a.occurred_at < @until)
           AND NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.audit_id = a.id)
         ORDER BY a.id
         LIMIT @limit
        """;

    public async Task<AuditChainVerification> VerifyAsync(DateTimeOffset? since, DateTimeOffset? until, CancellationToken ct)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AgeparDbContext>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            // One snapshot for every query, so rows sealed meanwhile do not look missing or unsealed.
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
            {
                await readOnly.ExecuteNonQueryAsync(ct);
            }

            var (startMaxId, maxSealedId) = await ReadBoundsAsync(connection, transaction, ct);
            var drops = await ReadDropsAsync(connection, transaction, ct);
            var imports = await ReadImportsAsync(connection, transaction, ct);
            var checker = new ChainChecker(settings.MaxSealLag, startMaxId, drops, settings.MaxBreaks, imports);

            await using (var seals = Command(connection, transaction, SealsSql, since, until))
            await using (var reader = await seals.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    checker.AddSeal(new SealEntry(
                        reader.GetInt64(reader.GetOrdinal("seq")),
                        reader.GetInt64(reader.GetOrdinal("audit_id")),
                        reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("occurred_at")),
                        reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("sealed_at")),
                        reader.GetFieldValue<byte[]>(reader.GetOrdinal("link")),
                        reader.IsDBNull(reader.GetOrdinal("previous_link")) ? null : reader.GetFieldValue<byte[]>(reader.GetOrdinal("previous_link")),
                        reader.GetBoolean(reader.GetOrdinal("present")) ? AuditChainEncoding.ReadFields(reader) : null));
                }
            }

            await using (var unsealed = Command(connection, transaction, UnsealedSql, since, until))
            {
                unsealed.Parameters.AddWithValue("lag", settings.MaxSealLag);
                unsealed.Parameters.AddWithValue("limit", settings.MaxBreaks + 1);
                await using var reader = await unsealed.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    checker.AddUnsealed(reader.GetInt64(reader.GetOrdinal("id")), reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("occurred_at")), maxSealedId);
                }
            }

            await transaction.CommitAsync(ct);
            var result = checker.Finish(since, until);
            if (since is null && until is null)
            {
                status.Record(result, clock.GetUtcNow());
            }

            if (result.Intact)
            {
                LogIntact(result.Checked, since, until);
            }
            else
            {
                var first = result.Breaks[0];
                LogBroken(result.Breaks.Count, result.Checked, first.Id, first.OccurredAt, first.Reason, since, until);
            }

            return result;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, DateTimeOffset? since, DateTimeOffset? until)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("since", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)since ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("until", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)until ?? DBNull.Value });
        return command;
    }

    private static async Task<(long StartMaxId, long MaxSealedId)> ReadBoundsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT coalesce((SELECT max_audit_id FROM audit_chain_start), 0) AS start_max_id,
                   coalesce((SELECT max(audit_id) FROM audit_seals), 0) AS max_sealed_id
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(reader.GetOrdinal("start_max_id")), reader.GetInt64(reader.GetOrdinal("max_sealed_id")));
    }

    private static async Task<List<PartitionDrop>> ReadDropsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT partition_name, range_from, range_to, row_count, sealed_count, last_seq, last_link FROM audit_partition_drops ORDER BY id",
            connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var drops = new List<PartitionDrop>();
        while (await reader.ReadAsync(ct))
        {
            var lastSeq = reader.GetOrdinal("last_seq");
            var lastLink = reader.GetOrdinal("last_link");
            drops.Add(new PartitionDrop(
                reader.GetString(reader.GetOrdinal("partition_name")),
                reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("range_from")),
                reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("range_to")),
                reader.GetInt64(reader.GetOrdinal("row_count")),
                reader.GetInt64(reader.GetOrdinal("sealed_count")),
                reader.IsDBNull(lastSeq) ? null : reader.GetInt64(lastSeq),
                reader.IsDBNull(lastLink) ? null : reader.GetFieldValue<byte[]>(lastLink)));
        }

        return drops;
    }

    /// <summary>The id ranges of <c>audit_imports</c> (migration <c>AuditImports</c>).</summary>
    private static async Task<List<ImportedRange>> ReadImportsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT first_audit_id, last_audit_id, row_count FROM {DatabaseObjects.AuditImportsTable} ORDER BY first_audit_id", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var imports = new List<ImportedRange>();
        while (await reader.ReadAsync(ct))
        {
            imports.Add(new ImportedRange(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return imports;
    }

    [LoggerMessage(LogLevel.Information, "Audit chain verified intact: {Checked} seal(s) checked (since {Since}, until {Until})")]
    private partial void LogIntact(long @checked, DateTimeOffset? since, DateTimeOffset? until);

    [LoggerMessage(LogLevel.Error,
        "Audit chain BROKEN: {BreakCount} break(s) among {Checked} seal(s) (since {Since}, until {Until}); first: id {AuditId} at {OccurredAt}: {Reason}")]
    private partial void LogBroken(int breakCount, long @checked, long? auditId, DateTimeOffset? occurredAt, string reason, DateTimeOffset? since, DateTimeOffset? until);
}
