using Agepar.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agepar.Bff.Health;

/// <summary>
/// Schema guard: the BFF was built with a set of migrations; if the database has not applied all of them the BFF
/// reports Unhealthy with the pending names instead of failing at random queries. The result is reused for a few
/// seconds (<see cref="SchemaCheckCache"/>).
/// </summary>
internal sealed class SchemaHealthCheck(IServiceProvider services, SchemaCheckCache cache) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        cache.GetAsync(ct => CheckNowAsync(context, ct), cancellationToken);

    private async Task<HealthCheckResult> CheckNowAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        // Resolved only when the cached result is stale: a probe served from the cache rents no context from the pool.
        var db = services.GetRequiredService<AgeparDbContext>();
        var expected = db.Database.GetMigrations().LastOrDefault() ?? "(none)";
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            var data = new Dictionary<string, object> { ["expectedMigration"] = expected, ["pendingMigrations"] = pending };
            return pending.Count == 0
                ? HealthCheckResult.Healthy($"schema at {expected}", data)
                : new HealthCheckResult(context.Registration.FailureStatus,
                    $"database is behind the application: {pending.Count} pending migration(s): {string.Join(", ", pending)}", data: data);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "schema version unknown: " + ex.GetBaseException().Message);
        }
    }
}
