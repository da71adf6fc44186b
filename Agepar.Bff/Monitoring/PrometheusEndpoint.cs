using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using OpenTelemetry.Metrics;

namespace Agepar.Bff.Monitoring;

/// <summary>
/// The opt-in Prometheus scrape endpoint (<c>Monitoring:PrometheusEndpoint=true</c>): every OpenTelemetry metric of the
/// BFF — the <c>agepar.*</c> ones, ASP.NET Core, Npgsql's pool, runtime — at <c>GET /metrics</c>, guarded by
/// <see cref="MonitoringOptions.PrometheusToken"/> when set. Not rate limited and not behind the session cookie.
/// </summary>
internal static class PrometheusEndpoint
{
    public const string Path = "/metrics";

    public static bool IsEnabled(IConfiguration configuration) =>
        configuration.GetValue($"{MonitoringOptions.SectionName}:{nameof(MonitoringOptions.PrometheusEndpoint)}", false);

    public static void AddPrometheusEndpoint(this IHostApplicationBuilder builder)
    {
        if (!IsEnabled(builder.Configuration))
        {
            return;
        }

        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddPrometheusExporter());
        builder.Services.Configure<OpenApiOptions>("v1", openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Paths ??= [];
            document.Paths[Path] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    [HttpMethod.Get] = new()
                    {
                        OperationId = "ScrapeMetrics",
                        Summary = "Every metric of this BFF in Prometheus text format (enabled by Monitoring:PrometheusEndpoint).",
                        Description = "Send Authorization: Bearer <Monitoring:PrometheusToken> when a token is configured; 401 otherwise.",
                        Responses = new OpenApiResponses
                        {
                            ["200"] = new OpenApiResponse
                            {
                                Description = "Prometheus exposition format",
                                Content = new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() },
                            },
                            ["401"] = new OpenApiResponse { Description = "Missing or wrong bearer token" },
                        },
                    },
                },
            };
            return Task.CompletedTask;
        }));
    }

    /// <summary>
    /// The guard covers every path a router could read as the endpoint — any case, a trailing slash, any sub-path
    /// (<c>/METRICS</c>, <c>/metrics/</c>, <c>/Metrics/x</c>) — and the exporter answers only on exactly <c>/metrics</c>,
    /// so nothing under the prefix is reachable without the token, and with it the variants are plain 404s.
    /// </summary>
    public static void UsePrometheusEndpoint(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration))
        {
            return;
        }

        var token = app.Services.GetRequiredService<IOptions<MonitoringOptions>>().Value.PrometheusToken;
        var tokenHash = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
        app.UseWhen(IsUnderPrefix, branch => branch.Use(async (context, next) =>
        {
            if (tokenHash is not null && !HasToken(context.Request, tokenHash))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return;
            }

            await next(context);
        }));
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context => string.Equals(context.Request.Path.Value, Path, StringComparison.Ordinal));
    }

    /// <summary><c>/metrics</c> and anything below it, without regard to case (ASP.NET's own path matching ignores case).</summary>
    internal static bool IsUnderPrefix(HttpContext context) =>
        context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Compares SHA-256 hashes in constant time: both sides have the same length whatever was sent, so neither the
    /// token's length nor a matching prefix shows in the timing.
    /// </summary>
    internal static bool HasToken(HttpRequest request, byte[] tokenHash)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        var sent = header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : "";
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(sent)), tokenHash) && sent.Length > 0;
    }
}
