using Agepar.Data.Connection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agepar.Bff.Health;

internal static class HealthCheckExtensions
{
    /// <summary>Readiness checks of <c>/api/health</c>: database round trip, schema version, Redis, and the read replica when configured.</summary>
    public static IHostApplicationBuilder AddAgeparHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", failureStatus: HealthStatus.Unhealthy)
            .AddCheck<DatabasePoolHealthCheck>("database-pool", failureStatus: HealthStatus.Degraded)
            .AddCheck<SchemaHealthCheck>("schema", failureStatus: HealthStatus.Unhealthy)
            .AddCheck<RedisHealthCheck>("redis", failureStatus: HealthStatus.Degraded);
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ReadReplica.ConnectionName)))
        {
            builder.Services.AddHealthChecks().AddCheck<ReplicaHealthCheck>("database-replica", failureStatus: HealthStatus.Degraded);
        }

        builder.Services.AddSingleton<IHealthCheckPublisher, HealthMetricsPublisher>();
        builder.Services.AddSingleton<NpgsqlPoolMonitor>();
        builder.Services.AddSingleton<SchemaCheckCache>();
        builder.Services.AddSingleton<RedisPinger>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RedisPinger>());
        return builder;
    }
}
