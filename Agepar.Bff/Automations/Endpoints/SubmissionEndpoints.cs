using Agepar.Bff.Infrastructure;
using Agepar.Data.Audits;
using Agepar.Data.Submissions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Agepar.Bff.Automations.Endpoints;

/// <summary>The caller's own submissions of one automation: list, details, download, cancel.</summary>
internal static class SubmissionEndpoints
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>GET /api/automations/{slug}/submissions?cursor=&amp;limit=: own submissions, newest first.</summary>
    public static async Task<Results<Ok<Page<SubmissionSummary>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        string slug, string? cursor, string? limit, [AsParameters] AutomationRequest request)
    {
        var (automation, denied) = await request.AuthorizeAsync(slug);
        if (automation is null)
        {
            return denied!;
        }

        var errors = new ValidationErrors();
        var page = PageRequest.Parse<Guid>(cursor, limit, DefaultPageSize, MaxPageSize, errors);
        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var userId = request.User.Id;
        var rows = await request.Db.Submissions.AsNoTracking()
            .Where(s => s.ActorUserId == userId && s.Kind == automation.Slug)
            .NewestFirst(s => s.CreatedAt, s => s.Id, page)
            .Select(s => new SubmissionSummary(s.Id, s.Kind, s.Status, s.Attempts, s.MaxAttempts, s.CreatedAt, s.StartedAt, s.FinishedAt, s.Error))
            .ToListAsync(request.CancellationToken);
        return TypedResults.Ok(page.ToPage(rows, r => new KeysetPosition<Guid>(r.CreatedAt, r.Id)));
    }

    /// <summary>GET /api/automations/{slug}/submissions/{id}: owner or admin; anyone else gets 404.</summary>
    public static async Task<Results<Ok<SubmissionDetails>, ProblemHttpResult>> GetAsync(
        string slug, Guid id, [AsParameters] AutomationRequest request)
    {
        var (automation, denied) = await request.AuthorizeAsync(slug);
        if (automation is null)
        {
            return denied!;
        }

        var details = await SubmissionDetails.LoadAsync(request.Db, id, request.CancellationToken);
        if (details is null || details.Kind != automation.Slug || !request.MaySee(details.Actor.UserId!.Value))
        {
            return ApiProblems.SubmissionNotFoundProblem();
        }

        return TypedResults.Ok(details);
    }

    /// <summary>GET /api/automations/{slug}/submissions/{id}/download: the generated file once done (409 before).</summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadAsync(
        string slug, Guid id, [AsParameters] AutomationRequest request)
    {
        var (automation, denied) = await request.AuthorizeAsync(slug);
        if (automation is null)
        {
            return denied!;
        }

        var db = request.Db;
        var submission = await db.Submissions.AsNoTracking()
            .Where(s => s.Id == id && s.Kind == automation.Slug)
            .Select(s => new { s.ActorUserId, s.Status })
            .FirstOrDefaultAsync(request.CancellationToken);
        if (submission is null || !request.MaySee(submission.ActorUserId))
        {
            return ApiProblems.SubmissionNotFoundProblem();
        }

        if (submission.Status != SubmissionStatus.Done)
        {
            return ApiProblems.Conflict(
                ApiProblems.NotReady,
                "O arquivo ainda não está pronto.",
                $"A submissão está '{submission.Status}'; o arquivo fica disponível quando ela termina (done).",
                new Dictionary<string, object?> { ["status"] = submission.Status });
        }

        var file = await db.SubmissionFiles.AsNoTracking()
            .Where(f => f.SubmissionId == id)
            .OrderBy(f => f.CreatedAt)
            .Select(f => new { f.Id, f.FileName, f.ContentType, f.SizeBytes, f.Sha256, f.Content })
            .FirstOrDefaultAsync(request.CancellationToken);
        if (file is null)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, ApiProblems.FileNotFound, "Esta submissão não tem arquivo.");
        }

        var sha256 = Convert.ToHexStringLower(file.Sha256);
        request.Audits.Add(db, AuditActions.SubmissionDownloaded, AuditOutcome.Success, request.User, automation.Slug, "submission", id.ToString(),
            new { fileId = file.Id, file.FileName, file.SizeBytes, sha256 });
        await db.SaveChangesAsync(request.CancellationToken);
        return TypedResults.File(file.Content, file.ContentType, file.FileName,
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{sha256}\""));
    }

    /// <summary>POST /api/automations/{slug}/submissions/{id}/cancel: owner (or admin), only while queued.</summary>
    public static async Task<Results<Ok<SubmissionAccepted>, ProblemHttpResult>> CancelAsync(
        string slug, Guid id, [AsParameters] AutomationRequest request, TimeProvider clock)
    {
        var (automation, denied) = await request.AuthorizeAsync(slug);
        if (automation is null)
        {
            return denied!;
        }

        var db = request.Db;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync<Results<Ok<SubmissionAccepted>, ProblemHttpResult>>(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var submission = await db.Submissions.AsNoTracking()
                .Where(s => s.Id == id && s.Kind == automation.Slug)
                .Select(s => new { s.ActorUserId, s.Status })
                .FirstOrDefaultAsync(ct);
            if (submission is null || !request.MaySee(submission.ActorUserId))
            {
                return ApiProblems.SubmissionNotFoundProblem();
            }

            // Atomic with the worker's claim: a row a worker has locked or already taken is not 'queued' any more.
            var now = clock.GetUtcNow();
            var cancelled = await db.Submissions
                .Where(s => s.Id == id && s.Status == SubmissionStatus.Queued)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SubmissionStatus.Cancelled).SetProperty(s => s.FinishedAt, now), ct);
            if (cancelled == 0)
            {
                var status = await db.Submissions.Where(s => s.Id == id).Select(s => s.Status).FirstAsync(ct);
                return ApiProblems.Conflict(
                    ApiProblems.NotCancellable,
                    "Só uma submissão na fila (queued) pode ser cancelada.",
                    $"A submissão está '{status}'.",
                    new Dictionary<string, object?> { ["status"] = status });
            }

            request.Audits.Add(db, AuditActions.SubmissionCancelled, AuditOutcome.Success, request.User, automation.Slug, "submission", id.ToString(),
                new { previousStatus = SubmissionStatus.Queued, byOwner = submission.ActorUserId == request.User.Id });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return TypedResults.Ok(new SubmissionAccepted(id, SubmissionStatus.Cancelled));
        }, request.CancellationToken);
    }
}
