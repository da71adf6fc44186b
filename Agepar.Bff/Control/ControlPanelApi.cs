using Agepar.Bff.Auth;
using Agepar.Bff.Automations;
using Agepar.Bff.Automations.Endpoints;
using Agepar.Bff.Automations.Validation;
using Agepar.Data.Audits;
using Agepar.Data.Submissions;
using Microsoft.AspNetCore.Http.HttpResults;
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
        return group;
    }

    private static Task<Results<Ok<PanelPage<AuditItem>>, ValidationProblem, ProblemHttpResult>> ListAuditsAsync(
        [AsParameters] AuditQueryParameters query, [AsParameters] PanelRequest request) =>
        PageAsync<AuditFilter, long, AuditItem>(
            request, query.Cursor, query.Limit, query.Parse, filter => filter.Actor, KeysetCursor.TryDecode,
            (filter, actor, after, limit) => PanelQueries.AuditPageAsync(
                request.Db, request.Options.Value, filter, actor, after, limit, request.CancellationToken));

    private static Task<Results<Ok<PanelPage<PanelSubmission>>, ValidationProblem, ProblemHttpResult>> ListSubmissionsAsync(
        [AsParameters] SubmissionQueryParameters query, [AsParameters] PanelRequest request) =>
        PageAsync<SubmissionFilter, Guid, PanelSubmission>(
            request, query.Cursor, query.Limit, query.Parse, filter => filter.Actor, KeysetCursor.TryDecode,
            (filter, actor, after, limit) => PanelQueries.SubmissionPageAsync(
                request.Db, request.Options.Value, filter, actor, after, limit, request.CancellationToken));

    private delegate bool CursorDecoder<TKey>(string? cursor, out DateTimeOffset at, out TKey id);

    /// <summary>
    /// One page of either listing: parse and check the filters, the limit and the keyset cursor (400 naming every bad
    /// field), resolve the actor filter, run the page query; a query past <c>QueryTimeout</c> answers 422.
    /// </summary>
    private static async Task<Results<Ok<PanelPage<TItem>>, ValidationProblem, ProblemHttpResult>> PageAsync<TFilter, TKey, TItem>(
        PanelRequest request,
        string? cursor,
        string? limitText,
        Func<ValidationErrors, TFilter> parse,
        Func<TFilter, string?> actorOf,
        CursorDecoder<TKey> decode,
        Func<TFilter, ResolvedActor?, (DateTimeOffset, TKey)?, int, Task<PanelPage<TItem>>> page)
        where TKey : struct
    {
        var options = request.Options.Value;
        var errors = new ValidationErrors();
        var filter = parse(errors);
        var limit = FilterParsing.Limit(limitText, options.DefaultPageSize, options.MaxPageSize, errors);
        (DateTimeOffset, TKey)? after = null;
        if (cursor is not null)
        {
            if (decode(cursor, out var at, out var id))
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

        var actor = await ResolvedActor.ResolveAsync(request.Db, actorOf(filter), request.CancellationToken);
        try
        {
            return TypedResults.Ok(await page(filter, actor, after, limit));
        }
        catch (PostgresException ex) when (ex.SqlState == PanelSql.QueryCanceled && !request.CancellationToken.IsCancellationRequested)
        {
            return TooSlow(options.QueryTimeout);
        }
    }

    private static Task<Results<CsvExportResult, ValidationProblem, ProblemHttpResult>> ExportAuditsAsync(
        [AsParameters] AuditQueryParameters query, [AsParameters] CsvExportRequest export, [AsParameters] PanelRequest request) =>
        ExportAsync(export, request, query.Parse, filter => filter.Actor, "audits.csv", AuditQueries.CsvHeader,
            (filter, actor, dialect) => new KeysetCsvExport<AuditRow, long>(
                request.Db, request.Options.Value, dialect,
                () => AuditQueries.Where(filter, actor),
                AuditQueries.After,
                where => AuditQueries.Select(where, limited: true),
                AuditQueries.Rows,
                row => (row.At, row.Id),
                AuditQueries.WriteCsv));

    private static Task<Results<CsvExportResult, ValidationProblem, ProblemHttpResult>> ExportSubmissionsAsync(
        [AsParameters] SubmissionQueryParameters query, [AsParameters] CsvExportRequest export, [AsParameters] PanelRequest request) =>
        ExportAsync(export, request, query.Parse, filter => filter.Actor, "submissions.csv", SubmissionQueries.CsvHeader,
            (filter, actor, dialect) => new KeysetCsvExport<SubmissionCsvRow, Guid>(
                request.Db, request.Options.Value, dialect,
                () => SubmissionQueries.Where(filter, actor),
                SubmissionQueries.After,
                where => SubmissionQueries.Select(where, limited: true, export: true),
                SubmissionQueries.CsvRows,
                row => (row.Created, row.Id),
                SubmissionQueries.WriteCsv));

    /// <summary>
    /// Either export: check the filters and the delimiter (400), take an export slot (429 with Retry-After when the
    /// global or per-user cap is reached; held until the response ends), read the first batch (422 when it is too slow),
    /// then stream the rest batch by batch.
    /// </summary>
    private static async Task<Results<CsvExportResult, ValidationProblem, ProblemHttpResult>> ExportAsync<TFilter>(
        CsvExportRequest export,
        PanelRequest request,
        Func<ValidationErrors, TFilter> parse,
        Func<TFilter, string?> actorOf,
        string fileName,
        IReadOnlyList<string> header,
        Func<TFilter, ResolvedActor?, CsvDialect, ICsvBatches> source)
    {
        var options = request.Options.Value;
        var errors = new ValidationErrors();
        var filter = parse(errors);
        var dialect = CsvDialect.Parse(export.Delimiter);
        if (dialect is null)
        {
            errors.Add("delimiter", $"Must be one of: {string.Join(", ", CsvDialect.Names)}.");
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var context = export.HttpContext;
        if (export.Slots.TryAcquire(context.RequireCurrentUser().Id) is not { } slot)
        {
            context.Response.Headers.RetryAfter = options.ExportRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many exports running.",
                detail: $"At most {options.ExportMaxConcurrentPerUser} export(s) per user and {options.ExportMaxConcurrent} in all may run at once. Retry after the time in Retry-After.",
                extensions: new Dictionary<string, object?> { ["code"] = "too_many_exports" });
        }

        context.Response.RegisterForDispose(slot);
        var actor = await ResolvedActor.ResolveAsync(request.Db, actorOf(filter), request.CancellationToken);
        var batches = source(filter, actor, dialect!);
        try
        {
            var first = await batches.ReadNextAsync(request.CancellationToken);
            return new CsvExportResult(fileName, header, dialect!, batches, first);
        }
        catch (PostgresException ex) when (ex.SqlState == PanelSql.QueryCanceled && !request.CancellationToken.IsCancellationRequested)
        {
            return TooSlow(options.ExportBatchTimeout);
        }
    }

    private static async Task<Results<Ok<SubmissionDetails>, ProblemHttpResult>> GetSubmissionAsync(Guid id, [AsParameters] PanelRequest request) =>
        await SubmissionDetails.LoadAsync(request.Db, id, request.CancellationToken) is { } details
            ? TypedResults.Ok(details)
            : Problems.SubmissionNotFound();

    private static Ok<PanelFacets> GetFacets(AutomationCatalog catalog) =>
        TypedResults.Ok(new PanelFacets(catalog.Kinds, AuditActions.All, SubmissionStatus.All, AuditOutcome.All));

    private static ProblemHttpResult TooSlow(TimeSpan timeout) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "The query is too broad.",
            detail: $"It took longer than {timeout.TotalSeconds:0} s. Narrow it with kind, action, actor or a since/until range.");
}
