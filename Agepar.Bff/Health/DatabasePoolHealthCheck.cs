using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Health;

/// <summary>
/// <c>database-pool</c>: Degraded while any connection pool of this process has <see cref="HealthOptions.PoolSaturationDegradedPercent"/>
/// or more of its connections in use, because new requests then wait for a connection (and answer 503 after the
/// acquire timeout). Costs no database round trip: it reads Npgsql's own counters.
/// </summary>
internal sealed class DatabasePoolHealthCheck(NpgsqlPoolMonitor monitor, IOptions<HealthOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var threshold = options.Value.PoolSaturationDegradedPercent / 100.0;
        var pools = monitor.Snapshot();
        var data = pools.ToDictionary(
            p => p.Label,
            p => (object)new Dictionary<string, object> { ["used"] = p.Used, ["idle"] = p.Idle, ["max"] = p.Max, ["acquireTimeouts"] = p.Timeouts });
        var saturated = pools.Where(p => p.Max > 0 && p.Saturation >= threshold).ToList();
        return Task.FromResult(saturated.Count == 0
            ? HealthCheckResult.Healthy($"{pools.Count} pool(s) below {options.Value.PoolSaturationDegradedPercent} % in use", data)
            : HealthCheckResult.Degraded(
                "connection pool saturated: " + string.Join("; ", saturated.Select(p => $"{p.Label} {p.Used}/{p.Max} in use")),
                data: data));
    }
}
