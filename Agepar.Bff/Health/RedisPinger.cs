using System.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Agepar.Bff.Health;

/// <summary>
/// PINGs Redis every <see cref="HealthOptions.RedisPingInterval"/> in the background and keeps the last answer for the
/// <c>redis</c> health check. Redis is an optional cache (the BFF works without it), so its round trip is kept off the
/// probe's path: a probe's latency never depends on it, and a Redis that hangs makes the check Degraded as soon as a
/// PING has waited two intervals, instead of holding every probe for the PING's timeout. Logs only the transitions
/// (unreachable, answering again), never one line per PING.
/// </summary>
internal sealed partial class RedisPinger(IConnectionMultiplexer redis, IOptions<HealthOptions> options, ILogger<RedisPinger> logger)
    : BackgroundService
{
    /// <summary>A PING unanswered for this long fails (the same bound the check used when it pinged per probe).</summary>
    public static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    private readonly TaskCompletionSource _firstAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Sample? _last;
    private long _pendingSince;

    /// <summary>The last PING's outcome; null before the first one ended.</summary>
    public Sample? Last => _last;

    /// <summary>How long the PING in flight has waited; null when none is.</summary>
    public TimeSpan? Unanswered => Volatile.Read(ref _pendingSince) is var since and not 0 ? Stopwatch.GetElapsedTime(since) : null;

    /// <summary>Completes when the first PING ended (answered or failed).</summary>
    public Task FirstAnswer => _firstAnswer.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RedisPingInterval);
        try
        {
            do
            {
                await PingOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PingOnceAsync(CancellationToken stoppingToken)
    {
        Volatile.Write(ref _pendingSince, Stopwatch.GetTimestamp());
        Sample sample;
        try
        {
            var rtt = await redis.GetDatabase().PingAsync().WaitAsync(PingTimeout, stoppingToken);
            sample = new Sample(Stopwatch.GetTimestamp(), Math.Round(rtt.TotalMilliseconds, 2), null);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            sample = new Sample(Stopwatch.GetTimestamp(), null, ex.GetType() == typeof(TimeoutException)
                ? $"no answer to PING within {PingTimeout.TotalSeconds:0} s"
                : ex.GetBaseException().Message);
        }
        finally
        {
            Volatile.Write(ref _pendingSince, 0);
        }

        var previous = _last;
        _last = sample;
        _firstAnswer.TrySetResult();
        if (sample.Error is { } error && previous?.Error is null)
        {
            LogUnreachable(error);
        }
        else if (sample.Error is null && previous?.Error is not null)
        {
            LogAnswering(sample.LatencyMs ?? 0);
        }
    }

    /// <summary>One PING's outcome: when it ended (<see cref="Stopwatch"/> timestamp), its round trip, or why it failed.</summary>
    public sealed record Sample(long At, double? LatencyMs, string? Error)
    {
        public TimeSpan Age => Stopwatch.GetElapsedTime(At);
    }

    [LoggerMessage(LogLevel.Warning, "Redis does not answer PING: {Error}; sessions are read from the database meanwhile")]
    private partial void LogUnreachable(string error);

    [LoggerMessage(LogLevel.Information, "Redis answers PING again ({LatencyMs} ms)")]
    private partial void LogAnswering(double latencyMs);
}
