using Agepar.Data.Connection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agepar.Bff.Health;

/// <summary>
/// The read replica, when configured: a <c>SELECT 1</c> round trip, and whether the server really is read-only
/// (a hot standby, or a session with <c>default_transaction_read_only</c>). Unreachable: Degraded, since only the
/// control panel depends on it.
/// </summary>
internal sealed class ReplicaHealthCheck(ReadReplica replica) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = replica.CreateContext() ?? throw new InvalidOperationException("no read replica is configured");
            var latency = await DatabaseHealthCheck.RoundTripAsync(db, cancellationToken);
            var readOnly = await db.Database
                .SqlQueryRaw<bool>("SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on' AS \"Value\"")
                .SingleAsync(cancellationToken);
            var data = new Dictionary<string, object> { ["latencyMs"] = latency, ["readOnly"] = readOnly };
            return readOnly
                ? HealthCheckResult.Healthy("SELECT 1 succeeded on the read replica", data)
                : HealthCheckResult.Degraded("the read replica accepts writes: ConnectionStrings:agepar-replica points at a primary", data: data);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "read replica unreachable: " + ex.GetBaseException().Message);
        }
    }
}
