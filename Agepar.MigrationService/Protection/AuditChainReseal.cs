using Agepar.Data.Audits;
using Npgsql;
using NpgsqlTypes;

namespace Agepar.MigrationService.Protection;

/// <summary>
/// Re-seals the audit chain under <see cref="AuditChainEncoding.Version"/> 2 (the CPF enters as its blind index):
/// once, in one transaction, holding the sealer's advisory lock so no seal is appended meanwhile. Every link is
/// recomputed in seq order from its row and its original <c>sealed_at</c>; a seal whose row is gone (a recorded
/// partition drop) keeps its link, as the verifier never recomputes those. The old head and the new one are recorded
/// in <c>audit_chain_reseals</c>, so the re-seal is visible to anyone holding an exported checkpoint.
/// </summary>
internal static partial class AuditChainReseal
{
    // The BFF's AuditSealer.AdvisoryLockKey: taken here (waiting), so the sealer skips its batches until the commit.
    private const long SealerLockKey = 7_243_120_901_337;

    private const string ChunkSql = $"""
        SELECT s.seq, s.link, s.sealed_at, a.id IS NOT NULL AS present, {AuditChainEncoding.CanonicalColumns}
          FROM audit_seals s
          LEFT JOIN audits a ON a.id = s.audit_id
         WHERE s.seq > @after
         ORDER BY s.seq
         LIMIT 5000
        """;

    public static async Task RunAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SealerLockKey})", connection, transaction))
        {
            await command.ExecuteNonQueryAsync(ct);
        }

        await using (var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM audit_chain_reseals WHERE encoding_version = @v) OR NOT EXISTS (SELECT 1 FROM audit_seals)", connection, transaction))
        {
            command.Parameters.AddWithValue("v", AuditChainEncoding.Version);
            if ((bool)(await command.ExecuteScalarAsync(ct))!)
            {
                await transaction.CommitAsync(ct);
                return;
            }
        }

        await CpfBackfill.MaintenanceAsync(connection, transaction, ct);
        long after = 0;
        long count = 0;
        byte[] oldHead = [];
        var previous = AuditChainEncoding.Genesis();
        while (true)
        {
            var seqs = new List<long>();
            var links = new List<byte[]>();
            await using (var command = new NpgsqlCommand(ChunkSql, connection, transaction))
            {
                command.Parameters.AddWithValue("after", after);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var seq = reader.GetInt64(reader.GetOrdinal("seq"));
                    var stored = reader.GetFieldValue<byte[]>(reader.GetOrdinal("link"));
                    var link = reader.GetBoolean(reader.GetOrdinal("present"))
                        ? AuditChainEncoding.Link(previous, AuditChainEncoding.ReadFields(reader), reader.GetDateTime(reader.GetOrdinal("sealed_at")))
                        : stored;
                    seqs.Add(seq);
                    links.Add(link);
                    previous = link;
                    oldHead = stored;
                    after = seq;
                }
            }

            if (seqs.Count == 0)
            {
                break;
            }

            count += seqs.Count;
            await using (var update = new NpgsqlCommand("""
                UPDATE audit_seals s SET link = u.link FROM unnest(@seqs, @links) AS u(seq, link) WHERE s.seq = u.seq
                """, connection, transaction))
            {
                update.Parameters.AddWithValue("seqs", seqs.ToArray());
                update.Parameters.Add(new NpgsqlParameter("links", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = links.ToArray() });
                await update.ExecuteNonQueryAsync(ct);
            }

            LogProgress(logger, count);
        }

        await using (var record = new NpgsqlCommand("""
            INSERT INTO audit_chain_reseals (encoding_version, seal_count, old_head_seq, old_head_link, new_head_link, reason)
            VALUES (@v, @count, @seq, @old, @new, @reason)
            """, connection, transaction))
        {
            record.Parameters.AddWithValue("v", AuditChainEncoding.Version);
            record.Parameters.AddWithValue("count", count);
            record.Parameters.AddWithValue("seq", after);
            record.Parameters.AddWithValue("old", oldHead);
            record.Parameters.AddWithValue("new", previous);
            record.Parameters.AddWithValue("reason",
                "CPF encryption: encoding 1 hashed the clear actor CPF (guessable from the link); encoding 2 hashes its keyed blind index");
            await record.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        LogResealed(logger, count, after, Convert.ToHexStringLower(oldHead), Convert.ToHexStringLower(previous));
    }

    [LoggerMessage(LogLevel.Information, "Audit chain re-seal: {Seals} seal(s) recomputed so far")]
    private static partial void LogProgress(ILogger logger, long seals);

    [LoggerMessage(LogLevel.Warning,
        "Audit chain re-sealed under encoding 2: {Seals} seal(s); head seal {Seq} link {OldHead} -> {NewHead} (recorded in audit_chain_reseals)")]
    private static partial void LogResealed(ILogger logger, long seals, long seq, string oldHead, string newHead);
}
