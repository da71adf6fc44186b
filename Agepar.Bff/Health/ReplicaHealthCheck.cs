using Agepar.Data;
using Agepar.Data.Connection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Health;

/// <summary>
/// The read replica, when configured: a <c>SELECT 1</c> round trip, whether the server really is read-only (a hot
/// standby, or a session with <c>default_transaction_read_only</c>) and, on a hot standby, its replay lag (published
/// as <c>agepar.db.replica.lag</c>; Degraded past <see cref="HealthOptions.ReplicaLagDegradedSeconds"/>).
/// Unreachable: Degraded, since only the control panel depends on it.
/// </summary>
internal sealed class ReplicaHealthCheck(ReadReplica replica, IOptions<HealthOptions> options) : IHealthCheck
{
    // Lag is 0 while everything received has been replayed (an idle primary sends nothing new); otherwise the age of
    // the last replayed transaction. A WAL segment switch (pg_basebackup ends with one) leaves the received position at
    // the segment's end, past the last record: that padding is not lag. NULL on a server that is not a standby.
    private const string StateSql = """
        SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on',
               CASE WHEN NOT pg_is_in_recovery() THEN NULL
                    WHEN pg_last_wal_receive_lsn() IS NULL OR pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn() THEN 0
                    WHEN (pg_last_wal_receive_lsn() - '0/0'::pg_lsn) % pg_size_bytes(current_setting('wal_segment_size')) = 0
                         AND pg_last_wal_receive_lsn() - pg_last_wal_replay_lsn() < pg_size_bytes(current_setting('wal_segment_size')) THEN 0
                    ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0)::float8
               END
        """;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = replica.CreateContext() ?? throw new InvalidOperationException("no read replica is configured");
            var latency = await DatabaseHealthCheck.RoundTripAsync(db, cancellationToken);
            var state = await ReadStateAsync(db, cancellationToken);
            var data = new Dictionary<string, object> { ["latencyMs"] = latency, ["readOnly"] = state.ReadOnly };
            if (state.LagSeconds is { } lag)
            {
                data["lagSeconds"] = Math.Round(lag, 3);
                DatabaseMetrics.ReplicaLag.Record(lag);
            }

            if (!state.ReadOnly)
            {
                return HealthCheckResult.Degraded("the read replica accepts writes: ConnectionStrings:agepar-replica points at a primary", data: data);
            }

            return state.LagSeconds > options.Value.ReplicaLagDegradedSeconds
                ? HealthCheckResult.Degraded($"the read replica lags {state.LagSeconds:0} s behind the primary (threshold {options.Value.ReplicaLagDegradedSeconds} s)", data: data)
                : HealthCheckResult.Healthy("SELECT 1 succeeded on the read replica", data);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "read replica unreachable: " + ex.GetBaseException().Message);
        }
    }

    private static async Task<ReplicaState> ReadStateAsync(AgeparDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = StateSql;
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return new ReplicaState(reader.GetBoolean(0), reader.IsDBNull(1) ? null : reader.GetDouble(1));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private sealed record ReplicaState(bool ReadOnly, double? LagSeconds);
}
