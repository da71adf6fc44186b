using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Agepar.Tests.Health;

/// <summary>
/// The runner behind <c>/api/health</c> and <c>/alive</c>: concurrent probes share one run of the checks (an anonymous
/// flood holds one database connection, not one per request), a caller giving up never cancels the others' run, and
/// timeouts, exceptions, tags and per-check DI scopes behave as with <see cref="HealthCheckService"/>.
/// </summary>
public sealed class HealthProbeRunnerTests
{
    [Fact]
    public async Task Concurrent_probes_share_one_run_and_a_probe_after_it_ended_starts_a_new_one()
    {
        var gate = new GatedCheck();
        var runner = Runner(checks => checks.AddCheck("gated", gate));

        var probes = Enumerable.Range(0, 20).Select(_ => runner.CheckAsync("ready", null, CancellationToken.None)).ToList();
        await gate.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(probes, p => Assert.False(p.IsCompleted));
        gate.Release(HealthCheckResult.Healthy("ok"));
        var reports = await Task.WhenAll(probes);

        Assert.Equal(1, gate.Runs);
        Assert.All(reports, r => Assert.Same(reports[0], r));
        Assert.Equal(HealthStatus.Healthy, reports[0].Status);

        var next = runner.CheckAsync("ready", null, CancellationToken.None);
        await gate.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        gate.Release(HealthCheckResult.Degraded("slow"));
        var later = await next;
        Assert.Equal(2, gate.Runs);
        Assert.NotSame(reports[0], later);
        Assert.Equal(HealthStatus.Degraded, later.Status);
    }

    [Fact]
    public async Task A_probe_that_gives_up_stops_waiting_without_cancelling_the_shared_run()
    {
        var gate = new GatedCheck();
        var runner = Runner(checks => checks.AddCheck("gated", gate));
        using var impatient = new CancellationTokenSource();

        var first = runner.CheckAsync("ready", null, impatient.Token);
        var second = runner.CheckAsync("ready", null, CancellationToken.None);
        await gate.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.False(gate.CancellationRequested);
        gate.Release(HealthCheckResult.Healthy("ok"));
        Assert.Equal(HealthStatus.Healthy, (await second).Status);
        Assert.Equal(1, gate.Runs);
    }

    [Fact]
    public async Task Different_keys_run_their_own_checks_and_the_predicate_selects_them()
    {
        var gate = new GatedCheck();
        var runner = Runner(checks => checks
            .AddCheck("gated", gate)
            .AddCheck("self", () => HealthCheckResult.Healthy(), [Extensions.LiveTag]));

        var ready = runner.CheckAsync("ready", null, CancellationToken.None);
        var live = await runner.CheckAsync("live", r => r.Tags.Contains(Extensions.LiveTag), CancellationToken.None);

        Assert.Equal(["self"], live.Entries.Keys);
        Assert.False(ready.IsCompleted);
        await gate.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        gate.Release(HealthCheckResult.Healthy("ok"));
        Assert.Equal(["gated", "self"], (await ready).Entries.Keys.Order());
    }

    [Fact]
    public async Task A_check_past_its_timeout_or_throwing_gets_its_failure_status_and_the_others_are_still_reported()
    {
        var runner = Runner(checks => checks
            .Add(new HealthCheckRegistration("hangs", _ => new HangingCheck(), HealthStatus.Degraded, ["t"], TimeSpan.FromMilliseconds(200)))
            .Add(new HealthCheckRegistration("throws", _ => new ThrowingCheck(), HealthStatus.Unhealthy, null))
            .AddCheck("fine", () => HealthCheckResult.Healthy("fine")));

        var report = await runner.CheckAsync("ready", null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal(HealthStatus.Degraded, report.Entries["hangs"].Status);
        Assert.Contains("timeout", report.Entries["hangs"].Description);
        Assert.Equal(["t"], report.Entries["hangs"].Tags);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["throws"].Status);
        Assert.Equal("boom before any await", report.Entries["throws"].Description);
        Assert.IsType<InvalidOperationException>(report.Entries["throws"].Exception);
        Assert.Equal(HealthStatus.Healthy, report.Entries["fine"].Status);
    }

    [Fact]
    public async Task Each_check_gets_its_own_scope_so_two_checks_never_share_a_scoped_service()
    {
        var seen = new System.Collections.Concurrent.ConcurrentBag<ScopedThing>();
        var runner = Runner(
            checks => checks
                .Add(new HealthCheckRegistration("a", sp => new ScopeCheck(sp.GetRequiredService<ScopedThing>(), seen), HealthStatus.Unhealthy, null))
                .Add(new HealthCheckRegistration("b", sp => new ScopeCheck(sp.GetRequiredService<ScopedThing>(), seen), HealthStatus.Unhealthy, null)),
            services => services.AddScoped<ScopedThing>());

        await runner.CheckAsync("ready", null, CancellationToken.None);

        Assert.Equal(2, seen.Distinct().Count());
        Assert.All(seen, t => Assert.True(t.Disposed));
    }

    private static HealthProbeRunner Runner(Action<IHealthChecksBuilder> checks, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        checks(services.AddHealthChecks());
        more?.Invoke(services);
        services.AddSingleton<HealthProbeRunner>();
        return services.BuildServiceProvider().GetRequiredService<HealthProbeRunner>();
    }

    /// <summary>A check that waits until the test releases it; counts its runs.</summary>
    private sealed class GatedCheck : IHealthCheck
    {
        private TaskCompletionSource<HealthCheckResult> _result = New();
        private int _runs;

        public TaskCompletionSource Started { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Runs => Volatile.Read(ref _runs);
        public bool CancellationRequested { get; private set; }

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _runs);
            var result = _result;
            using var registration = cancellationToken.Register(() => CancellationRequested = true);
            Started.TrySetResult();
            return await result.Task;
        }

        public void Release(HealthCheckResult result)
        {
            var current = _result;
            _result = New();
            Started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            current.SetResult(result);
        }

        private static TaskCompletionSource<HealthCheckResult> New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class HangingCheck : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }

    private sealed class ThrowingCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("boom before any await");
    }

    private sealed class ScopedThing : IDisposable
    {
        public bool Disposed { get; private set; }
        public void Dispose() => Disposed = true;
    }

    private sealed class ScopeCheck(ScopedThing thing, System.Collections.Concurrent.ConcurrentBag<ScopedThing> seen) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            seen.Add(thing);
            return Task.FromResult(HealthCheckResult.Healthy());
        }
    }
}
