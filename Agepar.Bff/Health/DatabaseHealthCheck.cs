using System.Diagnostics;
using Agepar.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agepar.Bff.Health;

/// <summary>A real round trip (<c>SELECT 1</c>) through the application's pool, with its latency in ms.</summary>
internal sealed class DatabaseHealthCheck(AgeparDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
            var latency = Math.Round(watch.Elapsed.TotalMilliseconds, 2);
            return HealthCheckResult.Healthy("SELECT 1 succeeded", new Dictionary<string, object> { ["latencyMs"] = latency });
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "database unreachable: " + ex.GetBaseException().Message);
        }
    }
}
