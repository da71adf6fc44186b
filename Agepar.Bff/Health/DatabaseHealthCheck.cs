using System.Diagnostics;
using Agepar.Data;
using Agepar.Data.Connection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Health;

/// <summary>
/// A real round trip (<c>SELECT 1</c>) through the application's own pool, as agepar_user, with its latency in ms.
/// Above <see cref="HealthOptions.DatabaseLatencyDegradedMs"/>: Degraded. Unreachable: Unhealthy (503).
/// </summary>
internal sealed class DatabaseHealthCheck(AgeparDbContext db, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await RoundTripAsync(db, cancellationToken);
            DatabaseMetrics.HealthLatency.Record(latency);
            var data = new Dictionary<string, object> { ["latencyMs"] = latency, ["thresholdMs"] = options.Value.DatabaseLatencyDegradedMs };
            return latency > options.Value.DatabaseLatencyDegradedMs
                ? HealthCheckResult.Degraded($"SELECT 1 took {latency} ms (target < {options.Value.DatabaseLatencyDegradedMs} ms)", data: data)
                : HealthCheckResult.Healthy("SELECT 1 succeeded", data);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "database unreachable: " + ex.GetBaseException().Message);
        }
    }

    /// <summary>
    /// <c>SELECT 1</c> on the context's pooled connection, in ms. Plain ADO.NET, no execution strategy: health reports
    /// the database as it is now, not after retries and back-off.
    /// </summary>
    public static async Task<double> RoundTripAsync(AgeparDbContext context, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var connection = context.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
        }
        finally
        {
            await connection.CloseAsync();
        }

        return Math.Round(watch.Elapsed.TotalMilliseconds, 2);
    }
}
