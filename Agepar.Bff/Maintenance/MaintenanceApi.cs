using Agepar.Bff.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agepar.Bff.Maintenance;

/// <summary>Registration of the maintenance job and its admin endpoint (<c>POST /api/admin/maintenance/run</c>).</summary>
public static class MaintenanceApi
{
    public static IHostApplicationBuilder AddAgeparMaintenance(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MaintenanceOptions>().BindConfiguration(MaintenanceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<MaintenanceMetrics>();
        builder.Services.AddSingleton<DatabaseMaintenance>();
        if (builder.Configuration.GetValue($"{MaintenanceOptions.SectionName}:{nameof(MaintenanceOptions.Enabled)}", true))
        {
            builder.Services.AddHostedService<MaintenanceWorker>();
        }

        return builder;
    }

    public static RouteHandlerBuilder MapMaintenanceApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/admin/maintenance/run", RunAsync)
            .WithTags("Maintenance").WithName("RunMaintenance")
            .WithSummary("Run the database maintenance now (audit partitions ahead, session and login-attempt retention) and return what it did.")
            .WithDescription("The same job every replica runs every Maintenance:Interval. 200 with the report; a step that failed is listed in errors while the other steps still ran.")
            .RequireAuthorization(AuthPolicies.Admin);

    private static async Task<Ok<MaintenanceReport>> RunAsync(DatabaseMaintenance maintenance, CancellationToken ct) =>
        TypedResults.Ok(await maintenance.RunAsync(ct));
}
