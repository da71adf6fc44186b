using Agepar.Bff.Auth;
using Agepar.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Agepar.Bff.Monitoring;

/// <summary>Database statistics: metrics (<see cref="DatabaseStatsPublisher"/>) and <c>GET /api/admin/database/stats</c>.</summary>
public static class MonitoringApi
{
    public static IHostApplicationBuilder AddAgeparMonitoring(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (builder.Configuration.GetValue($"{MonitoringOptions.SectionName}:{nameof(MonitoringOptions.Enabled)}", true))
        {
            builder.Services.AddHostedService<DatabaseStatsPublisher>();
        }

        return builder;
    }

    public static RouteHandlerBuilder MapMonitoringApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/admin/database/stats", GetStatsAsync)
            .WithTags("Monitoring").WithName("GetDatabaseStats")
            .WithSummary("Database statistics now: sessions by role and state, locks, oldest transaction, table and index sizes, transaction counters, cache hit ratio and the costliest statements (pg_stat_statements).")
            .RequireAuthorization(AuthPolicies.Admin);

    private static async Task<Ok<DatabaseStatsSnapshot>> GetStatsAsync(AgeparDbContext db, IOptions<MonitoringOptions> options, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return TypedResults.Ok(await DatabaseStats.ReadAsync(connection, options.Value.TopStatements, ct));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
