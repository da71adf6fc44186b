using Agepar.Bff.Auth;
using Agepar.Bff.Automations.Endpoints;
using Agepar.Bff.Automations.Validation;
using Agepar.Bff.Control;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Automations;

/// <summary>
/// The automation contract, the same for every slug: <c>/api/automations</c> (catalog) and
/// <c>/api/automations/{slug}/schema|submit|submissions|submissions/{id}|…/download|…/cancel|audits</c>.
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
        group.MapGet("/{slug}/audits", ListAuditsAsync)
            .RequireAuthorization(AuthPolicies.Admin)
            .WithSummary("Audit events of this automation, newest first (admin only).")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
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

    private static async Task<Results<Ok<PanelPage<AuditItem>>, ValidationProblem, ProblemHttpResult>> ListAuditsAsync(
        string slug, string? cursor, string? limit, [AsParameters] AutomationRequest request, IOptions<ControlPanelOptions> panelOptions)
    {
        if (request.Catalog.Find(slug) is not { } automation)
        {
            return Problems.UnknownAutomation(slug);
        }

        var options = panelOptions.Value;
        var errors = new ValidationErrors();
        var pageSize = FilterParsing.Limit(limit, options.DefaultPageSize, options.MaxPageSize, errors);
        (DateTimeOffset, long)? after = null;
        if (cursor is not null)
        {
            if (KeysetCursor.TryDecode(cursor, out DateTimeOffset at, out long id))
            {
                after = (at, id);
            }
            else
            {
                errors.Add("cursor", "Invalid cursor.");
            }
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return TypedResults.Ok(await PanelQueries.AuditPageAsync(
            request.Db, options, new AuditFilter(Kind: automation.Slug), actor: null, after, pageSize, request.CancellationToken));
    }
}
