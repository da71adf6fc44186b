using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Runs the checks behind <c>/api/health</c> and <c>/alive</c>. Two differences from <see cref="HealthCheckService"/>,
/// which still runs them for the background publishers:
/// <list type="bullet">
/// <item><b>Concurrent probes share one run.</b> A probe that arrives while a run of the same checks is in flight waits
/// for that run's report instead of starting its own, so however many clients poll at once (the endpoints are anonymous
/// and exempt from rate limits), the checks hold at most one pooled database connection and send one Redis PING at a
/// time. A report is never reused after its run ended: the next probe starts a new run.</item>
/// <item><b>Checks start on the probe's own thread</b> (each with its own DI scope, as <see cref="HealthCheckService"/>
/// gives them) instead of one thread-pool work item each: the checks registered here do no blocking work before their
/// first await, and on a small machine waking a worker per check cost more than the checks themselves.</item>
/// </list>
/// Timeouts, failure statuses, tags and exception handling follow <see cref="HealthCheckService"/>.
/// </summary>
public sealed class HealthProbeRunner(IServiceScopeFactory scopes, IOptions<HealthCheckServiceOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task<HealthReport>> _running = new(StringComparer.Ordinal);

    /// <summary>
    /// The report of the checks <paramref name="predicate"/> selects, from a run started by this call or by a concurrent
    /// one with the same <paramref name="key"/> (one key per predicate). <paramref name="cancellationToken"/> stops this
    /// caller's wait, never the shared run: the run ends by the checks' own timeouts.
    /// </summary>
    public Task<HealthReport> CheckAsync(string key, Func<HealthCheckRegistration, bool>? predicate, CancellationToken cancellationToken)
    {
        TaskCompletionSource<HealthReport>? mine = null;
        Task<HealthReport>? shared;
        lock (_gate)
        {
            if (!_running.TryGetValue(key, out shared))
            {
                mine = new TaskCompletionSource<HealthReport>(TaskCreationOptions.RunContinuationsAsynchronously);
                _running[key] = mine.Task;
            }
        }

        // The checks start outside the lock: their synchronous part (pool rent, command setup) never blocks other probes.
        return (mine is null ? shared! : RunSharedAsync(key, predicate, mine)).WaitAsync(cancellationToken);
    }

    private async Task<HealthReport> RunSharedAsync(string key, Func<HealthCheckRegistration, bool>? predicate, TaskCompletionSource<HealthReport> shared)
    {
        try
        {
            var report = await RunAsync(predicate);
            Forget(key);
            shared.SetResult(report);
            return report;
        }
        catch (Exception ex)
        {
            Forget(key);
            shared.SetException(ex);
            throw;
        }
    }

    /// <summary>Ends the sharing of a finished run: the next probe starts a new one.</summary>
    private void Forget(string key)
    {
        lock (_gate)
        {
            _running.Remove(key);
        }
    }

    private async Task<HealthReport> RunAsync(Func<HealthCheckRegistration, bool>? predicate)
    {
        var registrations = options.Value.Registrations;
        var selected = predicate is null ? registrations.ToList() : registrations.Where(predicate).ToList();
        var started = Stopwatch.GetTimestamp();
        var checks = new Task<HealthReportEntry>[selected.Count];
        for (var i = 0; i < selected.Count; i++)
        {
            checks[i] = RunCheckAsync(selected[i]);
        }

        var entries = await Task.WhenAll(checks);
        var report = new Dictionary<string, HealthReportEntry>(selected.Count, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < selected.Count; i++)
        {
            report[selected[i].Name] = entries[i];
        }

        return new HealthReport(report, Stopwatch.GetElapsedTime(started));
    }

    private async Task<HealthReportEntry> RunCheckAsync(HealthCheckRegistration registration)
    {
        var started = Stopwatch.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        using var timeout = registration.Timeout > TimeSpan.Zero && registration.Timeout != Timeout.InfiniteTimeSpan
            ? new CancellationTokenSource(registration.Timeout)
            : null;
        var token = timeout?.Token ?? CancellationToken.None;
        try
        {
            var check = registration.Factory(scope.ServiceProvider);
            var result = await check.CheckHealthAsync(new HealthCheckContext { Registration = registration }, token);
            return new HealthReportEntry(result.Status, result.Description, Stopwatch.GetElapsedTime(started),
                result.Exception, result.Data, registration.Tags);
        }
        catch (OperationCanceledException ex) when (token.IsCancellationRequested)
        {
            return new HealthReportEntry(registration.FailureStatus, "A timeout occurred while running check.",
                Stopwatch.GetElapsedTime(started), ex, null, registration.Tags);
        }
        catch (Exception ex)
        {
            return new HealthReportEntry(registration.FailureStatus, ex.Message, Stopwatch.GetElapsedTime(started), ex, null,
                registration.Tags);
        }
    }
}
