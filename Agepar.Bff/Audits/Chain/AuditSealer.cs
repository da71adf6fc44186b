using Agepar.Data;
using Agepar.Data.Audits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Agepar.Bff.Audits.Chain;

/// <summary>
/// Appends unsealed audit rows to the chain, in id order, one batch per transaction. Only one sealer works at a time
/// across all replicas: each batch first takes a transaction-scoped advisory lock (<see cref="AdvisoryLockKey"/>) and
/// gives up at once when another holds it, so requests never wait for the chain and pgBouncer's transaction pooling
/// is fine. The app's insert path is untouched: seals go to <c>audit_seals</c>.
/// </summary>
internal sealed class AuditSealer(IServiceScopeFactory scopes, IOptions<AuditChainOptions> options, AuditChainMetrics metrics, TimeProvider clock)
{
    // When this process last looked for late-committed rows (ticks of clock); 0 = never, so its first batch looks.
    private long _lateCheckedAt;

    /// <summary>The advisory lock key of the sealer (<c>pg_try_advisory_xact_lock</c>); holding it pauses sealing.</summary>
    public const long AdvisoryLockKey = 7_243_120_901_337;

    private const string HeadSql = """
        SELECT pg_try_advisory_xact_lock(@key) AS locked, now() AS now,
               (SELECT seq FROM audit_seals ORDER BY seq DESC LIMIT 1) AS seq,
               (SELECT link FROM audit_seals ORDER BY seq DESC LIMIT 1) AS link,
               coalesce((SELECT max(audit_id) FROM audit_seals), 0) AS max_audit_id
        """;

    // New ids beyond the high-water mark: none of them can be sealed yet, so no anti-join (an index range per partition).
    private const string NewRowsSql = $"""
        SELECT a.occurred_at, {AuditChainEncoding.CanonicalColumns}, a.id AS sort_id
          FROM audits a
         WHERE a.id > @max_audit_id
         ORDER BY a.id
         LIMIT @batch
        """;

    // The same, plus rows that committed late with a lower id (a transaction that took its id before the last batch
    // and committed after it): those are recent, so MaxSealLag bounds the second look. The anti-join is a per-row
    // probe of ux_audit_seals_audit_id (a scalar subquery, which the planner cannot turn into a hash of every seal:
    // that hash made each poll cost O(chain length), 370 ms at 300 k seals — bench/RESULTS.md, "Ratios").
    private const string PendingSql = $"""
        SELECT u.* FROM (
          ({NewRowsSql})
          UNION ALL
          (SELECT a.occurred_at, {AuditChainEncoding.CanonicalColumns}, a.id AS sort_id
             FROM audits a
            WHERE a.id <= @max_audit_id AND a.occurred_at >= @recent
              AND (SELECT s.audit_id FROM audit_seals s WHERE s.audit_id = a.id) IS NULL
            ORDER BY a.id
            LIMIT @batch)
        ) u
         ORDER BY u.sort_id
         LIMIT @batch
        """;

    private const string InsertSql = """
        INSERT INTO audit_seals (seq, audit_id, occurred_at, sealed_at, link)
        SELECT u.seq, u.audit_id, u.occurred_at, @sealed_at, u.link
          FROM unnest(@seqs, @ids, @occurred, @links) AS u(seq, audit_id, occurred_at, link)
        """;

    /// <summary>Seals until nothing is pending (or another process holds the lock). Returns the rows sealed.</summary>
    public async Task<long> SealPendingAsync(CancellationToken ct)
    {
        long total = 0;
        while (true)
        {
            var sealedNow = await SealBatchAsync(ct);
            total += sealedNow;
            if (sealedNow < options.Value.SealBatchSize)
            {
                return total;
            }
        }
    }

    private async Task<int> SealBatchAsync(CancellationToken ct)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AgeparDbContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        var count = await strategy.ExecuteAsync(async token =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var tx = (NpgsqlTransaction)transaction.GetDbTransaction();

            bool locked;
            DateTime now;
            long seq;
            byte[] link;
            long maxAuditId;
            await using (var head = new NpgsqlCommand(HeadSql, connection, tx))
            {
                head.Parameters.AddWithValue("key", AdvisoryLockKey);
                await using var reader = await head.ExecuteReaderAsync(token);
                await reader.ReadAsync(token);
                locked = reader.GetBoolean(reader.GetOrdinal("locked"));
                now = reader.GetDateTime(reader.GetOrdinal("now"));
                seq = reader.IsDBNull(reader.GetOrdinal("seq")) ? 0 : reader.GetInt64(reader.GetOrdinal("seq"));
                link = reader.IsDBNull(reader.GetOrdinal("link")) ? AuditChainEncoding.Genesis() : reader.GetFieldValue<byte[]>(reader.GetOrdinal("link"));
                maxAuditId = reader.GetInt64(reader.GetOrdinal("max_audit_id"));
            }

            if (!locked)
            {
                return 0;
            }

            // New rows are looked for on every run, late-committed ones every LateCommitCheckInterval: they have
            // MaxSealLag to be sealed, and that look scans every row of the last MaxSealLag.
            var lookLate = clock.GetUtcNow().UtcTicks - Interlocked.Read(ref _lateCheckedAt) >= settings.LateCommitCheckInterval.Ticks;
            var seqs = new List<long>();
            var ids = new List<long>();
            var occurred = new List<DateTime>();
            var links = new List<byte[]>();
            await using (var pending = new NpgsqlCommand(lookLate ? PendingSql : NewRowsSql, connection, tx))
            {
                pending.Parameters.AddWithValue("max_audit_id", maxAuditId);
                if (lookLate)
                {
                    pending.Parameters.Add(new NpgsqlParameter("recent", NpgsqlDbType.TimestampTz) { Value = now - settings.MaxSealLag });
                }

                pending.Parameters.AddWithValue("batch", settings.SealBatchSize);
                await using var reader = await pending.ExecuteReaderAsync(token);
                while (await reader.ReadAsync(token))
                {
                    var fields = AuditChainEncoding.ReadFields(reader);
                    link = AuditChainEncoding.Link(link, fields, now);
                    seqs.Add(++seq);
                    ids.Add(long.Parse(fields[0]!, System.Globalization.CultureInfo.InvariantCulture));
                    occurred.Add(reader.GetDateTime(reader.GetOrdinal("occurred_at")));
                    links.Add(link);
                }
            }

            if (seqs.Count > 0)
            {
                await using var insert = new NpgsqlCommand(InsertSql, connection, tx);
                insert.Parameters.AddWithValue("seqs", seqs.ToArray());
                insert.Parameters.AddWithValue("ids", ids.ToArray());
                insert.Parameters.Add(new NpgsqlParameter("occurred", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = occurred.ToArray() });
                insert.Parameters.Add(new NpgsqlParameter("links", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = links.ToArray() });
                insert.Parameters.Add(new NpgsqlParameter("sealed_at", NpgsqlDbType.TimestampTz) { Value = now });
                await insert.ExecuteNonQueryAsync(token);
            }

            await transaction.CommitAsync(token);
            if (lookLate)
            {
                Interlocked.Exchange(ref _lateCheckedAt, clock.GetUtcNow().UtcTicks);
            }

            return seqs.Count;
        }, ct);
        metrics.Sealed.Add(count);
        return count;
    }

    /// <summary>The chain head now (seal 0 and the genesis link when nothing is sealed yet).</summary>
    public async Task<ChainCheckpoint> ReadHeadAsync(TimeProvider clock, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AgeparDbContext>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand("SELECT seq, link, sealed_at FROM audit_seals ORDER BY seq DESC LIMIT 1", connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct)
                ? new ChainCheckpoint(
                    reader.GetInt64(reader.GetOrdinal("seq")),
                    Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(reader.GetOrdinal("link"))),
                    reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("sealed_at")),
                    clock.GetUtcNow())
                : new ChainCheckpoint(0, Convert.ToHexStringLower(AuditChainEncoding.Genesis()), null, clock.GetUtcNow());
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
