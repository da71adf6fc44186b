using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// <c>/api/health</c> (readiness: every registered check) and <c>/alive</c> (liveness: only checks tagged
/// <see cref="Extensions.LiveTag"/>). Both are ordinary endpoints so they appear in the OpenAPI document.
/// Healthy and Degraded answer 200, Unhealthy answers 503; the body is always <see cref="HealthResponse"/>.
/// </summary>
public static class HealthEndpoints
{
    public const string HealthPath = "/api/health";

    public static IEndpointRouteBuilder MapDefaultEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(HealthPath, (HealthCheckService health, CancellationToken ct) => CheckAsync(health, null, ct))
            .WithName("GetHealth")
            .WithTags("Health")
            .WithSummary("Readiness: database round trip (latency in ms), Redis, schema version.")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable)
            .DisableRateLimiting()
            .AllowAnonymous();

        app.MapGet(Extensions.AlivePath, (HealthCheckService health, CancellationToken ct) =>
                CheckAsync(health, r => r.Tags.Contains(Extensions.LiveTag), ct))
            .WithName("GetAlive")
            .WithTags("Health")
            .WithSummary("Liveness: the process answers; touches no dependency.")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable)
            .DisableRateLimiting()
            .AllowAnonymous();

        return app;
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> CheckAsync(
        HealthCheckService health, Func<HealthCheckRegistration, bool>? predicate, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(predicate, ct);
        var body = HealthResponse.From(report);
        return report.Status == HealthStatus.Unhealthy
            ? TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(body);
    }
}

/// <summary>The body of the health endpoints.</summary>
/// <param name="Status">Healthy, Degraded or Unhealthy: the worst of the checks.</param>
/// <param name="TotalDurationMs">Time taken by all checks, in milliseconds.</param>
/// <param name="Checks">Each check by name.</param>
public sealed record HealthResponse(string Status, double TotalDurationMs, IReadOnlyDictionary<string, HealthCheckEntry> Checks)
{
    public static HealthResponse From(HealthReport report) => new(
        report.Status.ToString(),
        Math.Round(report.TotalDuration.TotalMilliseconds, 2),
        report.Entries.ToDictionary(
            e => e.Key,
            e => new HealthCheckEntry(
                e.Value.Status.ToString(),
                Math.Round(e.Value.Duration.TotalMilliseconds, 2),
                e.Value.Description,
                e.Value.Data.Count == 0 ? null : e.Value.Data.ToDictionary(d => d.Key, d => d.Value))));
}

/// <summary>One health check's outcome.</summary>
public sealed record HealthCheckEntry(string Status, double DurationMs, string? Description, IReadOnlyDictionary<string, object>? Data);
