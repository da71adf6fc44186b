using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Agepar.Bff.Health;

/// <summary>Redis PING with its latency. Redis is a cache: when it is down the BFF still works, so this is Degraded.</summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var rtt = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy("PING succeeded", new Dictionary<string, object>
            {
                ["latencyMs"] = Math.Round(rtt.TotalMilliseconds, 2),
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _ = watch;
            return HealthCheckResult.Degraded("redis unreachable: " + ex.GetBaseException().Message);
        }
    }
}
