using Aspire.Hosting.ApplicationModel;

namespace Agepar.AppHost;

/// <summary>
/// Database observability resources: <c>postgres-exporter</c> (run mode and deployments), connected as the
/// <c>agepar_monitor</c> role (a member of <c>pg_monitor</c>: statistics, no table data), and <c>prometheus</c> (run
/// mode only, on the host; deployments use the platform's Prometheus with ops/prometheus/prometheus.yml), which
/// scrapes the exporter and the BFF's token-guarded <c>/metrics</c> and loads ops/prometheus/alerts.yml.
/// </summary>
internal static class MonitoringExtensions
{
    /// <summary>
    /// The monitoring login's password and the BFF's scrape token (both secret, generated locally, asked by azd).
    /// Provisioning creates <c>agepar_monitor</c> with the password; the BFF serves /metrics behind the token.
    /// </summary>
    public static MonitoringAccess AddAgeparMonitoringAccess(this IDistributedApplicationBuilder builder) => new(
        builder.AddParameter("agepar-monitor-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true),
        builder.AddParameter("prometheus-token", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true),
        // lib/pq (the exporter's driver) knows disable|require|verify-ca|verify-full, not Npgsql's Prefer: its own parameter.
        builder.AddParameterWithDefault("exporter-sslmode", "disable", publishDefault: false));

    /// <summary>postgres_exporter against the agepar database, or null when <c>Monitoring:Exporter:Enabled</c> is false.</summary>
    public static IResourceBuilder<ContainerResource>? AddAgeparPostgresExporter(
        this IDistributedApplicationBuilder builder, AppHostSettings settings, IResourceBuilder<PostgresServerResource> postgres,
        MonitoringAccess access, IResourceBuilder<ProjectResource> migrations)
    {
        if (!settings.ExporterEnabled)
        {
            return null;
        }

        // Run mode: the image eng/ builds from Debian's package; deployments: the upstream image (same env contract).
        var image = ContainerImageReference.Parse(
            builder.ExecutionContext.IsRunMode ? settings.ExporterImage : settings.ExporterPublishImage, "Monitoring:Exporter:Image");
        var server = postgres.Resource.PrimaryEndpoint;
        return builder.AddContainer("postgres-exporter", image.Image, image.Tag)
            .WithImageRegistry(image.Registry)
            .WithEnvironment("DATA_SOURCE_URI", ReferenceExpression.Create(
                $"{server.Property(EndpointProperty.Host)}:{server.Property(EndpointProperty.Port)}/agepar?sslmode={access.ExporterSslMode}"))
            .WithEnvironment("DATA_SOURCE_USER", "agepar_monitor")
            .WithEnvironment("DATA_SOURCE_PASS", access.MonitorPassword)
            .WithHttpEndpoint(targetPort: 9187, name: "http")
            .WithHttpHealthCheck("/metrics")
            .WaitForCompletion(migrations); // the role exists once provisioning ran
    }

    /// <summary>
    /// Prometheus in run mode, or null (deployments, or <c>Monitoring:Prometheus:Enabled</c> false). It runs on the
    /// host (Debian's <c>prometheus</c> through ops/prometheus/run-local.sh), not in a container: from the host it
    /// reaches the BFF process and the exporter's published port directly, with no container-to-host tunnel (whose
    /// image an offline machine cannot pull).
    /// </summary>
    public static IResourceBuilder<ExecutableResource>? AddAgeparPrometheus(
        this IDistributedApplicationBuilder builder, AppHostSettings settings, MonitoringAccess access,
        IResourceBuilder<ContainerResource>? exporter, IResourceBuilder<ContainerResource>? backup, IResourceBuilder<ProjectResource> bff)
    {
        if (!builder.ExecutionContext.IsRunMode || !settings.PrometheusEnabled)
        {
            return null;
        }

        var ops = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "ops", "prometheus"));
        var bffEndpoint = bff.GetEndpoint("http");
        var prometheus = builder.AddExecutable("prometheus", "bash", ops, "run-local.sh")
            .WithHttpEndpoint(port: settings.PrometheusHostPort, env: "PROMETHEUS_PORT", name: "http")
            .WithEnvironment("PROMETHEUS_SCRAPE_INTERVAL", settings.PrometheusScrapeInterval)
            .WithEnvironment("PROMETHEUS_BFF_TARGET", ReferenceExpression.Create(
                $"{bffEndpoint.Property(EndpointProperty.Host)}:{bffEndpoint.Property(EndpointProperty.Port)}"))
            .WithEnvironment("PROMETHEUS_BFF_TOKEN", access.PrometheusToken)
            .WithHttpHealthCheck("/-/ready")
            .WaitFor(bff);
        if (exporter is not null)
        {
            var target = exporter.GetEndpoint("http");
            prometheus.WithEnvironment("PROMETHEUS_EXPORTER_TARGET", ReferenceExpression.Create(
                    $"{target.Property(EndpointProperty.Host)}:{target.Property(EndpointProperty.Port)}"))
                .WaitFor(exporter);
        }

        if (backup is not null)
        {
            // The backup job's outcome (agepar_backup_*); not waited for: the job starts after the migrations.
            var target = backup.GetEndpoint("metrics");
            prometheus.WithEnvironment("PROMETHEUS_BACKUP_TARGET", ReferenceExpression.Create(
                $"{target.Property(EndpointProperty.Host)}:{target.Property(EndpointProperty.Port)}"));
        }

        return prometheus;
    }

    /// <summary>The BFF serves every metric at /metrics behind the scrape token.</summary>
    public static IResourceBuilder<ProjectResource> WithAgeparMetricsEndpoint(this IResourceBuilder<ProjectResource> bff, MonitoringAccess access) =>
        bff.WithEnvironment("Monitoring__PrometheusEndpoint", "true")
            .WithEnvironment("Monitoring__PrometheusToken", access.PrometheusToken);
}

/// <summary>Secrets and settings shared by the monitoring resources, the BFF and provisioning.</summary>
internal sealed record MonitoringAccess(
    IResourceBuilder<ParameterResource> MonitorPassword,
    IResourceBuilder<ParameterResource> PrometheusToken,
    IResourceBuilder<ParameterResource> ExporterSslMode);
