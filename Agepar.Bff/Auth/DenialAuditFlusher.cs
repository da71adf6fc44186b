using Agepar.Bff.Audits;
using Agepar.Data;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Auth;

/// <summary>
/// Writes the aggregated access-denial summaries (<see cref="DenialAuditAggregator"/>) as their windows pass, and
/// every pending one when the BFF stops, so a graceful shutdown loses no count. A failed write is retried at the
/// next tick with the counts it held.
/// </summary>
internal sealed partial class DenialAuditFlusher(
    DenialAuditAggregator aggregator, IServiceScopeFactory scopes, IOptions<DenialAuditOptions> options, ILogger<DenialAuditFlusher> logger)
    : BackgroundService
{
    private List<DenialSummary> _unwritten = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tick = TimeSpan.FromTicks(Math.Clamp(options.Value.Window.Ticks / 4, TimeSpan.TicksPerSecond, 15 * TimeSpan.TicksPerSecond));
        using var timer = new PeriodicTimer(tick);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(all: false, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: StopAsync flushes what is left
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(all: true, cancellationToken);
    }

    private async Task FlushAsync(bool all, CancellationToken ct)
    {
        var due = _unwritten;
        due.AddRange(aggregator.TakeDue(all));
        if (due.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AgeparDbContext>();
            var count = await AccessDenials.WriteSummariesAsync(db, scope.ServiceProvider.GetRequiredService<AuditWriter>(), due, ct);
            _unwritten = [];
            LogFlushed(due.Count, count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _unwritten = due;
            LogFlushFailed(ex, due.Count);
        }
    }

    [LoggerMessage(LogLevel.Information, "Wrote {Rows} aggregated access-denial audit rows standing for {Refusals} refusals")]
    private partial void LogFlushed(int rows, long refusals);

    [LoggerMessage(LogLevel.Warning, "Could not write {Rows} aggregated access-denial audit rows; retrying at the next tick")]
    private partial void LogFlushFailed(Exception exception, int rows);
}
