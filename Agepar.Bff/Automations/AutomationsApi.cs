using Agepar.Bff.Auth;
using Agepar.Bff.Automations.Endpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agepar.Bff.Automations;

/// <summary>
/// The automation contract, the same for every slug: <c>/api/automations</c> (catalog) and
/// <c>/api/automations/{slug}/schema|submit|submissions|submissions/{id}|…/download|…/cancel</c>. The admin-only
/// <c>/api/automations/{slug}/audits</c> is the control panel's (ControlPanelApi), so Automations never reads Control.
/// </summary>
internal static class AutomationsApi
{
    public static RouteGroupBuilder MapAutomationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/automations")
            .WithTags("Automations")
            .RequireAuthorization();

        group.MapGet("", ListCatalog)
            .WithSummary("The automations the caller may use.");
        group.MapGet("/{slug}/schema", GetSchemaAsync)
            .WithSummary("JSON Schema of the automation's submit body.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{slug}/submit", SubmitEndpoint.HandleAsync)
            .WithSummary("Validate and queue a submission: 202 with Location; honours Idempotency-Key.")
            .WithDescription("400 names every invalid field; 409 for a reused Idempotency-Key with a different body or a value the automation keeps unique (its own code, e.g. duplicate_protocolo); 413 past Automations:MaxRequestBytes. Nothing is stored for a rejected request.")
            .Accepts<System.Text.Json.JsonElement>("application/json")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("/{slug}/submissions", SubmissionEndpoints.ListAsync)
            .WithSummary("The caller's own submissions of this automation, newest first (keyset cursor).")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{slug}/submissions/{id:guid}", SubmissionEndpoints.GetAsync)
            .WithSummary("One submission with payload, status, result and files (owner or admin).")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{slug}/submissions/{id:guid}/download", SubmissionEndpoints.DownloadAsync)
            .WithSummary("Download the generated document (409 until the submission is done).")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{slug}/submissions/{id:guid}/cancel", SubmissionEndpoints.CancelAsync)
            .WithSummary("Cancel a submission that is still queued (owner or admin).")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static Ok<IReadOnlyList<CatalogEntry>> ListCatalog(HttpContext httpContext, AutomationCatalog catalog)
    {
        var user = httpContext.RequireCurrentUser();
        IReadOnlyList<CatalogEntry> entries =
        [
            .. catalog.All.Where(a => AutomationCatalog.CanUse(user, a)).Select(a => new CatalogEntry(
                a.Slug, a.Version, a.Title, a.Description, a.RequiredRoles,
                $"/api/automations/{a.Slug}/schema", $"/api/automations/{a.Slug}/submit", $"/api/automations/{a.Slug}/submissions")),
        ];
        return TypedResults.Ok(entries);
    }

    private static async Task<Results<Ok<AutomationSchemaResponse>, ProblemHttpResult>> GetSchemaAsync(
        string slug, [AsParameters] AutomationRequest request)
    {
        var (automation, denied) = await request.AuthorizeAsync(slug);
        if (automation is null)
        {
            return denied!;
        }

        return TypedResults.Ok(new AutomationSchemaResponse(automation.Slug, automation.Version, automation.Title, automation.Description, automation.InputSchema));
    }
}
