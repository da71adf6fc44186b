using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Agepar.Data.Connection;

public static class DatabaseRegistration
{
    /// <summary>
    /// Registers <see cref="AgeparDbContext"/> on connection <paramref name="connectionName"/> with the
    /// <see cref="DatabaseOptions"/> pool/TLS settings, the counting retry strategy, and Aspire's tracing and metrics.
    /// Throws at startup (the service refuses to start) when the connection string is missing, malformed, or its
    /// TLS mode is too weak for Production.
    /// </summary>
    public static IHostApplicationBuilder AddAgeparDbContext(
        this IHostApplicationBuilder builder, string connectionName, bool pooled)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var options = ReadOptions(builder);
        var connectionString = AgeparConnectionString.Build(
            builder.Configuration, connectionName, options, builder.Environment.IsProduction());

        void Configure(DbContextOptionsBuilder db) => ConfigureContext(db, connectionString, options);

        if (pooled)
        {
            builder.Services.AddDbContextPool<AgeparDbContext>(Configure);
        }
        else
        {
            builder.Services.AddDbContext<AgeparDbContext>(Configure);
        }

        // Retries are ours (counted); the health check is ours (latency); Aspire adds tracing and metrics.
        builder.EnrichNpgsqlDbContext<AgeparDbContext>(settings =>
        {
            settings.DisableRetry = true;
            settings.DisableHealthChecks = true;
        });
        return builder;
    }

    /// <summary>
    /// The read replica for analytic reads (<see cref="ReadReplica.ConnectionName"/>), when that connection string is set:
    /// a pooled context factory with the same pool, TLS and retry settings as the primary (its own pool of up to
    /// <see cref="DatabaseOptions.MaxPoolSize"/>). Not set: <see cref="ReadReplica.None"/>, and readers use the primary.
    /// </summary>
    public static IHostApplicationBuilder AddAgeparReadReplica(this IHostApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ReadReplica.ConnectionName)))
        {
            builder.Services.AddSingleton(ReadReplica.None);
            return builder;
        }

        var options = ReadOptions(builder);
        options.ApplicationName += " (replica)";
        var connectionString = AgeparConnectionString.Build(
            builder.Configuration, ReadReplica.ConnectionName, options, builder.Environment.IsProduction());
        var contextOptions = new DbContextOptionsBuilder<AgeparDbContext>();
        ConfigureContext(contextOptions, connectionString, options);
        builder.Services.AddSingleton(new ReadReplica(new PooledDbContextFactory<AgeparDbContext>(contextOptions.Options)));
        return builder;
    }

    private static void ConfigureContext(DbContextOptionsBuilder db, string connectionString, DatabaseOptions options) =>
        db.UseAgeparNpgsql(connectionString, npgsql => npgsql.ExecutionStrategy(
            deps => new RetryCountingExecutionStrategy(deps, options.MaxRetryCount, TimeSpan.FromSeconds(options.MaxRetryDelaySeconds))));

    /// <summary>The bound <see cref="DatabaseOptions"/>, with the service name as default application name.</summary>
    public static DatabaseOptions ReadOptions(IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        options.ApplicationName ??= builder.Environment.ApplicationName;
        return options;
    }
}
