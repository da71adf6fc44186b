using Microsoft.Extensions.Options;

namespace Agepar.Bff.Maintenance;

/// <summary>Runs <see cref="DatabaseMaintenance"/> <see cref="MaintenanceOptions.StartupDelay"/> after start, then every <see cref="MaintenanceOptions.Interval"/>.</summary>
internal sealed partial class MaintenanceWorker(
    DatabaseMaintenance maintenance, IOptions<MaintenanceOptions> options, TimeProvider clock, ILogger<MaintenanceWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        LogScheduled(settings.StartupDelay, settings.Interval);
        try
        {
            await Task.Delay(settings.StartupDelay, clock, stoppingToken);
            using var timer = new PeriodicTimer(settings.Interval, clock);
            do
            {
                try
                {
                    await maintenance.RunAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // DatabaseMaintenance reports step failures itself; this is anything else (e.g. no connection at all).
                    LogRunFailed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(LogLevel.Information, "Database maintenance scheduled: first run in {StartupDelay}, then every {Interval}")]
    private partial void LogScheduled(TimeSpan startupDelay, TimeSpan interval);

    [LoggerMessage(LogLevel.Error, "Database maintenance run failed")]
    private partial void LogRunFailed(Exception exception);
}
