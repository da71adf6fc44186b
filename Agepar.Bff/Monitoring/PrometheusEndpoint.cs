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

    public static void UsePrometheusEndpoint(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration))
        {
            return;
        }

        var token = app.Services.GetRequiredService<IOptions<MonitoringOptions>>().Value.PrometheusToken;
        app.UseWhen(context => context.Request.Path.Equals(Path, StringComparison.Ordinal), branch => branch.Use(async (context, next) =>
        {
            if (!string.IsNullOrEmpty(token) && !HasToken(context.Request, token))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return;
            }

            await next(context);
        }));
        app.UseOpenTelemetryPrometheusScrapingEndpoint(Path);
    }

    private static bool HasToken(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[prefix.Length..].Trim()), Encoding.UTF8.GetBytes(token));
    }
}
