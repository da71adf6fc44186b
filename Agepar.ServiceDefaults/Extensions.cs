using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every Agepar service shares: OpenTelemetry over OTLP, health checks, service discovery and HTTP resilience.
/// </summary>
public static class Extensions
{
    /// <summary>Liveness: answers without touching any dependency.</summary>
    public const string AlivePath = "/alive";

    /// <summary>Health checks tagged with this run only on <see cref="AlivePath"/>.</summary>
    public const string LiveTag = "live";

    /// <summary>
    /// Activity sources and meters of the Agepar services. Every service registers its own here, in one place,
    /// so the dashboard shows them without per-service wiring.
    /// </summary>
    public static readonly string[] TelemetrySourceNames = ["Agepar.Bff", "Agepar.Data", "Agepar.MigrationService"];

    /// <summary>Configuration key: series kept per metric (see <see cref="ConfigureOpenTelemetry{TBuilder}"/>).</summary>
    public const string MetricCardinalityLimitKey = "Telemetry:MetricCardinalityLimit";

    /// <summary>Default of <see cref="MetricCardinalityLimitKey"/>.</summary>
    public const int DefaultMetricCardinalityLimit = 200;

    /// <summary>
    /// Largest accepted <see cref="MetricCardinalityLimitKey"/>: every stream preallocates it, so 10,000 already costs
    /// about 130 MB for the BFF's ~180 streams; a typo like 2000000 would exhaust the container at start-up.
    /// </summary>
    public const int MaxMetricCardinalityLimit = 10_000;

    /// <summary>The one metric kept at the SDK's own limit (2,000 series): routes × methods × status codes.</summary>
    private const string RequestDurationMetric = "http.server.request.duration";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        // Every metric stream preallocates its cardinality limit of points (72 bytes each) for every reader: at the SDK's
        // default of 2,000, the BFF's ~90 instruments × 2 readers (OTLP, Prometheus) held 26 MB of the large-object heap
        // for about ten series each (bench/RESULTS.md, "Resident memory"). Past the limit, new attribute sets are summed
        // into one series tagged otel.metric.overflow=true: totals stay right, only that breakdown is lost.
        var cardinalityLimit = builder.Configuration.GetValue(MetricCardinalityLimitKey, DefaultMetricCardinalityLimit);
        if (cardinalityLimit is < 1 or > MaxMetricCardinalityLimit)
        {
            throw new InvalidOperationException(
                $"{MetricCardinalityLimitKey} must be between 1 and {MaxMetricCardinalityLimit} (was {cardinalityLimit}).");
        }

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddView(instrument => instrument.Name == RequestDurationMetric
                    ? null
                    : new MetricStreamConfiguration { CardinalityLimit = cardinalityLimit })
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetrySourceNames)
                .AddMeter("Npgsql"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(TelemetrySourceNames)
                .AddSource("Npgsql")
                .AddAspNetCoreInstrumentation(o =>
                    // Health probes would drown the traces the dashboard shows.
                    o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/api/health")
                                      && !ctx.Request.Path.StartsWithSegments(AlivePath))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.Services.AddSingleton<HealthProbeRunner>();
        return builder;
    }
}
