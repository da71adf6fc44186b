using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Health;

/// <summary>
/// Keeps the <c>schema</c> check's last result for <see cref="HealthOptions.SchemaCheckCacheDuration"/>, and lets one
/// caller at a time refresh it: a flood of <c>/api/health</c> calls costs one <c>__EFMigrationsHistory</c> query per
/// period, not one per call. The cheap checks (pool counters, <c>SELECT 1</c>, PING) still run every time.
/// </summary>
internal sealed class SchemaCheckCache(IOptions<HealthOptions> options)
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Entry? _last;

    public async Task<HealthCheckResult> GetAsync(Func<CancellationToken, Task<HealthCheckResult>> check, CancellationToken cancellationToken)
    {
        var duration = options.Value.SchemaCheckCacheDuration;
        if (duration <= TimeSpan.Zero)
        {
            return await check(cancellationToken);
        }

        if (Fresh(duration) is { } cached)
        {
            return cached;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(duration) is { } refreshed)
            {
                return refreshed; // another caller refreshed it while this one waited
            }

            var result = await check(cancellationToken);
            _last = new Entry(result, Stopwatch.GetTimestamp());
            return result;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private HealthCheckResult? Fresh(TimeSpan duration) =>
        _last is { } last && Stopwatch.GetElapsedTime(last.At) < duration ? last.Result : null;

    private sealed record Entry(HealthCheckResult Result, long At);
}
