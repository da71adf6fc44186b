using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Health;

/// <summary>
/// Redis, from <see cref="RedisPinger"/>'s background PING (at most <see cref="HealthOptions.RedisPingInterval"/> old):
/// Healthy with its latency; Degraded when the last PING failed, when the PING in flight has waited two intervals
/// (a hung server), or when no PING ended for a while (the pinger stopped). Redis is a cache: when it is down the BFF
/// still works, so this is never worse than Degraded. The first probe after start waits for the first PING.
/// </summary>
internal sealed class RedisHealthCheck(RedisPinger pinger, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var interval = options.Value.RedisPingInterval;
        if (pinger.Last is null)
        {
            try
            {
                await pinger.FirstAnswer.WaitAsync(RedisPinger.PingTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                return HealthCheckResult.Degraded("redis: no PING has been answered since the BFF started");
            }
        }

        if (pinger.Unanswered is { } waiting && waiting > 2 * interval)
        {
            return HealthCheckResult.Degraded($"redis has not answered a PING for {waiting.TotalSeconds:0.0} s");
        }

        var last = pinger.Last ?? throw new InvalidOperationException("the first PING ended without a result");
        if (last.Error is { } error)
        {
            return HealthCheckResult.Degraded("redis unreachable: " + error);
        }

        var age = last.Age;
        if (age > 3 * interval + RedisPinger.PingTimeout)
        {
            return HealthCheckResult.Degraded($"redis: no PING has ended for {age.TotalSeconds:0} s (the background PING stopped)");
        }

        return HealthCheckResult.Healthy("PING succeeded", new Dictionary<string, object>
        {
            ["latencyMs"] = last.LatencyMs ?? 0,
            ["ageMs"] = Math.Round(age.TotalMilliseconds, 0),
        });
    }
}
