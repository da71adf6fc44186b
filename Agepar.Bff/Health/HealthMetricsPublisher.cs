using Agepar.Data.Connection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agepar.Bff.Health;

/// <summary>
/// Runs the health checks in the background (every 30 s by default) and counts every check that is not Healthy
/// (<c>agepar.health.check.failures</c>), so failures are visible as metrics even when nobody polls /api/health.
/// </summary>
internal sealed partial class HealthMetricsPublisher(ILogger<HealthMetricsPublisher> logger) : IHealthCheckPublisher
{
    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy))
        {
            DatabaseMetrics.HealthCheckFailures.Add(1,
                new KeyValuePair<string, object?>("check", name),
                new KeyValuePair<string, object?>("status", entry.Status.ToString()));
            LogNotHealthy(name, entry.Status, entry.Description, entry.Exception);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Warning, "Health check {Check} is {Status}: {Description}")]
    private partial void LogNotHealthy(string check, HealthStatus status, string? description, Exception? exception);
}
