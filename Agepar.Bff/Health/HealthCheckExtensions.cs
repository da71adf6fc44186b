namespace Agepar.Bff.Health;

internal static class HealthCheckExtensions
{
    public static IHostApplicationBuilder AddAgeparHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready", "db"])
            .AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return builder;
    }
}
