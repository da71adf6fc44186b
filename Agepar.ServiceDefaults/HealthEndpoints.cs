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
/// Only callers for whom <c>showDetails</c> holds (the BFF: a signed-in admin) see each check's description and data;
/// everybody else — anonymous callers, the AppHost's probe, which reads only the status code — sees the status,
/// duration and latency of each check, never an exception message, a host, a migration name or any other internal detail.
/// </summary>
public static class HealthEndpoints
{
    public const string HealthPath = "/api/health";

    public static IEndpointRouteBuilder MapDefaultEndpoints(this IEndpointRouteBuilder app, Func<HttpContext, bool>? showDetails = null)
    {
        app.MapGet(HealthPath, (HttpContext context, HealthProbeRunner health, CancellationToken ct) =>
                CheckAsync(health, "ready", null, showDetails?.Invoke(context) == true, ct))
            .WithName("GetHealth")
            .WithTags("Health")
            .WithSummary("Readiness: database round trip (latency in ms), connection pool use, Redis, schema version. Descriptions and data only for admins.")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable)
            .DisableRateLimiting()
            .AllowAnonymous();

        app.MapGet(Extensions.AlivePath, (HttpContext context, HealthProbeRunner health, CancellationToken ct) =>
                CheckAsync(health, "live", static r => r.Tags.Contains(Extensions.LiveTag), showDetails?.Invoke(context) == true, ct))
            .WithName("GetAlive")
            .WithTags("Health")
            .WithSummary("Liveness: the process answers; touches no dependency.")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable)
            .DisableRateLimiting()
            .AllowAnonymous();

        return app;
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> CheckAsync(
        HealthProbeRunner health, string key, Func<HealthCheckRegistration, bool>? predicate, bool details, CancellationToken ct)
    {
        // Probes are not traced (their ASP.NET Core span is filtered in Extensions.cs, so the spans of their checks'
        // round trips would be dropped anyway): this scope skips creating those activities at all. A run this probe
        // starts inherits it; probes that join a run in flight wait for its report.
        using var untraced = OpenTelemetry.SuppressInstrumentationScope.Begin();
        var report = await health.CheckAsync(key, predicate, ct);
        var body = HealthResponse.From(report, details);
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
    /// <summary>The one data item anonymous callers see: a check's measured round trip in ms.</summary>
    public const string LatencyKey = "latencyMs";

    /// <summary>
    /// The body for <paramref name="report"/>: with <paramref name="details"/> each check's description and data (for
    /// admins); without, only status, duration and latency per check, so nothing internal (exception text, hosts, SQL, migration
    /// names) reaches an anonymous caller.
    /// </summary>
    public static HealthResponse From(HealthReport report, bool details) => new(
        report.Status.ToString(),
        Math.Round(report.TotalDuration.TotalMilliseconds, 2),
        report.Entries.ToDictionary(
            e => e.Key,
            e => new HealthCheckEntry(
                e.Value.Status.ToString(),
                Math.Round(e.Value.Duration.TotalMilliseconds, 2),
                details ? e.Value.Description : null,
                Data(e.Value.Data, details))));

    /// <summary>Everything for admins; for anyone else only a round-trip latency (<c>latencyMs</c>), when the check measured one.</summary>
    private static Dictionary<string, object>? Data(IReadOnlyDictionary<string, object> data, bool details)
    {
        var shown = details
            ? data.ToDictionary(d => d.Key, d => d.Value)
            : data.Where(d => d.Key == LatencyKey && d.Value is double or int or long).ToDictionary(d => d.Key, d => d.Value);
        return shown.Count == 0 ? null : shown;
    }
}

/// <summary>One health check's outcome; <c>Description</c> and <c>Data</c> are null unless the caller may see details.</summary>
public sealed record HealthCheckEntry(string Status, double DurationMs, string? Description, IReadOnlyDictionary<string, object>? Data);
