namespace Agepar.Bff.Infrastructure;

internal static class ApiPlumbingExtensions
{
    /// <summary>ProblemDetails for every error, and the OpenAPI document.</summary>
    public static IHostApplicationBuilder AddAgeparApiPlumbing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier));
        builder.Services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<Audits.AuditWriter>();
        builder.Services.AddOpenApi("v1");
        return builder;
    }

    public static WebApplication UseAgeparApiPlumbing(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // The OpenAPI document: GET /api/openapi/v1.json
        app.MapOpenApi("/api/openapi/{documentName}.json");
        return app;
    }
}
