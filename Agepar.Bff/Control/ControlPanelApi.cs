using Agepar.Bff.Auth;
using Agepar.Bff.Automations;
using Agepar.Bff.Infrastructure;
using Agepar.Data;
using Agepar.Data.Audits;
using Agepar.Data.Protection;
using Agepar.Data.Submissions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Agepar.Bff.Control;

/// <summary>
/// The read-only control panel over every automation: <c>/api/control/…</c>. Filters, keyset paging and counts run
/// in SQL; CSV exports stream.
/// </summary>
internal static class ControlPanelApi
{
    public static RouteGroupBuilder MapControlPanelApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/control")
            .WithTags("Control panel")
            .RequireAnyRole(ControlPanelAccess.Roles)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/audits", ListAuditsAsync)
            .WithSummary("Audit events, filtered and keyset-paginated (newest first), with a total.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/audits.csv", ExportAuditsAsync)
            .WithSummary("Audit events matching the filters as a streamed CSV (UTF-8 with BOM, CRLF, formula-safe; ?delimiter=semicolon for pt-BR spreadsheets).")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/submissions", ListSubmissionsAsync)
            .WithSummary("Submissions of every automation, filtered and keyset-paginated (newest first), with a total.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/submissions.csv", ExportSubmissionsAsync)
            .WithSummary("Submissions matching the filters as a streamed CSV (UTF-8 with BOM, CRLF, formula-safe; ?delimiter=semicolon for pt-BR spreadsheets).")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/submissions/{id:guid}", GetSubmissionAsync)
            .WithSummary("One submission in full (payload, result, error, files).");
        group.MapGet("/facets", GetFacets)
            .WithSummary("The values the filters accept: kinds, actions, statuses, outcomes.");

        // One automation's audits, under the automation's URL, for admins only (the panel's page format).
        app.MapGet("/api/automations/{slug}/audits", ListAutomationAuditsAsync)
            .WithTags("Automations")
            .RequireAuthorization()
            .RequireAuthorization(AuthPolicies.Admin)
            .WithSummary("Audit events of this automation, newest first (admin only).")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    private static Task<Results<Ok<Page<AuditItem>>, ValidationProblem, ProblemHttpResult>> ListAuditsAsync(
        [AsParameters] AuditQueryParameters query, [AsParameters] PanelRequest request) =>
        PageAsync<AuditFilter, long, AuditItem>(
            request.Db, request.Options.Value, request.Protector, query.Cursor, query.Limit, query.Parse, filter => filter.Actor,
            (filter, actor, page) => PanelQueries.AuditPageAsync(request.Db, request.Options.Value, filter, actor, page, request.CpfView, request.CancellationToken),
            request.CancellationToken);

    private static Task<Results<Ok<Page<PanelSubmission>>, ValidationProblem, ProblemHttpResult>> ListSubmissionsAsync(
        [AsParameters] SubmissionQueryParameters query, [AsParameters] PanelRequest request) =>
        PageAsync<SubmissionFilter, Guid, PanelSubmission>(
            request.Db, request.Options.Value, request.Protector, query.Cursor, query.Limit, query.Parse, filter => filter.Actor,
            (filter, actor, page) => PanelQueries.SubmissionPageAsync(request.Db, request.Options.Value, filter, actor, page, request.CancellationToken),
            request.CancellationToken);

    /// <summary>
    /// <c>GET /api/automations/{slug}/audits</c> (admin): the panel's audit page for one automation. Mapped here, with
    /// the panel's queries, so that Automations never reaches into Control; the slug is checked against the catalog.
    /// It reads the primary, as it always has: an admin checking an automation expects the submit they just made.
    /// </summary>
    private static Task<Results<Ok<Page<AuditItem>>, ValidationProblem, ProblemHttpResult>> ListAutomationAuditsAsync(
        string slug, string? cursor, string? limit, AutomationCatalog catalog, AgeparDbContext db, IOptions<ControlPanelOptions> options,
        CpfProtector protector, HttpContext http, CancellationToken cancellationToken)
    {
        if (catalog.Find(slug) is not { } automation)
        {
            return Task.FromResult<Results<Ok<Page<AuditItem>>, ValidationProblem, ProblemHttpResult>>(ApiProblems.UnknownAutomationProblem(slug));
        }

        return PageAsync<AuditFilter, long, AuditItem>(
            db, options.Value, protector, cursor, limit, _ => new AuditFilter(Kind: automation.Slug), _ => null,
            (filter, actor, page) => PanelQueries.AuditPageAsync(db, options.Value, filter, actor, page, new CpfView(http.RequireCurrentUser(), protector), cancellationToken),
            cancellationToken);
    }

    /// <summary>
    /// One page of any panel listing: parse and check the filters, the limit and the keyset cursor (400 naming every bad
    /// field), resolve the actor filter, run the page query; a query past <c>QueryTimeout</c> answers 422.
    /// </summary>
    private static async Task<Results<Ok<Page<TItem>>, ValidationProblem, ProblemHttpResult>> PageAsync<TFilter, TKey, TItem>(
        AgeparDbContext db,
        ControlPanelOptions options,
        CpfProtector protector,
        string? cursor,
        string? limitText,
        Func<ValidationErrors, TFilter> parse,
        Func<TFilter, string?> actorOf,
        Func<TFilter, ResolvedActor?, PageRequest<TKey>, Task<Page<TItem>>> query,
        CancellationToken cancellationToken)
        where TKey : struct
    {
        var errors = new ValidationErrors();
        var filter = parse(errors);
        var page = PageRequest.Parse<TKey>(cursor, limitText, options.DefaultPageSize, options.MaxPageSize, errors);
        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var actor = await ResolvedActor.ResolveAsync(db, protector, actorOf(filter), cancellationToken);
        try
        {
            return TypedResults.Ok(await query(filter, actor, page));
        }
        catch (PostgresException ex) when (ex.SqlState == PanelSql.QueryCanceled && !cancellationToken.IsCancellationRequested)
        {
            return ApiProblems.QueryTooBroadProblem(options.QueryTimeout);
        }
    }

    private static Task<Results<CsvExportResult, ValidationProblem, ProblemHttpResult>> ExportAuditsAsync(
        [AsParameters] AuditQueryParameters query, [AsParameters] CsvExportRequest export, [AsParameters] PanelRequest request) =>
        ExportAsync(export, request, query.Parse, filter => filter.Actor, "audits.csv", AuditQueries.CsvHeader,
            (filter, actor, dialect) => new CopyCsvExport(
                request.Db, request.Options.Value, dialect, AuditQueries.CsvCopy,
                () => AuditQueries.Where(filter, actor),
                new CsvCopyRewriter(dialect, AuditQueries.CsvCopy, request.CpfView.Of)));

    private static Task<Results<CsvExportResult, ValidationProblem, ProblemHttpResult>> ExportSubmissionsAsync(
        [AsParameters] SubmissionQueryParameters query, [AsParameters] CsvExportRequest export, [AsParameters] PanelRequest request) =>
        ExportAsync(export, request, query.Parse, filter => filter.Actor, "submissions.csv", SubmissionQueries.CsvHeader,
            (filter, actor, dialect) => new CopyCsvExport(
                request.Db, request.Options.Value, dialect, SubmissionQueries.CsvCopy,
                () => SubmissionQueries.Where(filter, actor),
                new CsvCopyRewriter(dialect, SubmissionQueries.CsvCopy)));

    /// <summary>
    /// Either export: check the filters and the delimiter (400), take an export slot (429 with Retry-After when the
    /// global or per-user cap is reached; held until the response ends), wait for the first rows (422 when the first batch is
    /// too slow), then stream the file as it is read.
    /// </summary>
    private static async Task<Results<CsvExportResult, ValidationProblem, ProblemHttpResult>> ExportAsync<TFilter>(
        CsvExportRequest export,
        PanelRequest request,
        Func<ValidationErrors, TFilter> parse,
        Func<TFilter, string?> actorOf,
        string fileName,
        IReadOnlyList<string> header,
        Func<TFilter, ResolvedActor?, CsvDialect, CopyCsvExport> source)
    {
        var options = request.Options.Value;
        var errors = new ValidationErrors();
        var filter = parse(errors);
        var dialect = CsvDialect.Parse(export.Delimiter);
        if (dialect is null)
        {
            errors.Add("delimiter", $"Deve ser um de: {string.Join(", ", CsvDialect.Names)}.");
        }

        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var context = export.HttpContext;
        if (export.Slots.TryAcquire(context.RequireCurrentUser().Id) is not { } slot)
        {
            context.Response.Headers.RetryAfter = options.ExportRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ApiProblems.Problem(
                StatusCodes.Status429TooManyRequests,
                ApiProblems.TooManyExports,
                "Exportações demais em andamento.",
                $"No máximo {options.ExportMaxConcurrentPerUser} exportação(ões) por usuário e {options.ExportMaxConcurrent} no total ao mesmo tempo. Tente de novo após o tempo indicado em Retry-After.");
        }

        context.Response.RegisterForDispose(slot);
        var actor = await ResolvedActor.ResolveAsync(request.Db, request.Protector, actorOf(filter), request.CancellationToken);
        var rows = source(filter, actor, dialect!);
        try
        {
            await rows.StartAsync(request.CancellationToken);
            return new CsvExportResult(fileName, header, dialect!, rows);
        }
        catch (PostgresException ex) when (ex.SqlState == PanelSql.QueryCanceled && !request.CancellationToken.IsCancellationRequested)
        {
            return ApiProblems.QueryTooBroadProblem(options.ExportBatchTimeout);
        }
    }

    private static async Task<Results<Ok<SubmissionDetails>, ProblemHttpResult>> GetSubmissionAsync(Guid id, [AsParameters] PanelRequest request) =>
        await SubmissionDetails.LoadAsync(request.Db, id, request.CancellationToken) is { } details
            ? TypedResults.Ok(details)
            : ApiProblems.SubmissionNotFoundProblem();

    private static Ok<PanelFacets> GetFacets(AutomationCatalog catalog) =>
        TypedResults.Ok(new PanelFacets(catalog.Kinds, AuditActions.All, SubmissionStatus.All, AuditOutcome.All));
}
