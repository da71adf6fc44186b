namespace Agepar.Bff.Infrastructure;

internal static class ApiPlumbingExtensions
{
    /// <summary>ProblemDetails (with a <c>code</c>) for every error, and the OpenAPI document.</summary>
    public static IHostApplicationBuilder AddAgeparApiPlumbing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier);
            // Every problem body carries a code (docs/api-errors.md); the endpoints set theirs, this covers the rest.
            context.ProblemDetails.Extensions.TryAdd("code", ApiProblems.CodeForStatus(context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode));
        });
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
