using System.Security.Cryptography;
using System.Text.Json;
using Agepar.Bff.Automations.Queue;
using Agepar.Bff.Infrastructure;
using Agepar.Data;
using Agepar.Data.Audits;
using Agepar.Data.Submissions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Agepar.Bff.Automations.Endpoints;

/// <summary>
/// <c>POST /api/automations/{slug}/submit</c>: validate, then insert the submission and its <c>submission.created</c>
/// audit in one transaction, wake the worker and answer 202. Uniqueness (the idempotency key, and any unique key the
/// automation declares in <see cref="IAutomation.DescribeConflict"/>) is decided by unique indexes, so concurrent
/// submits cannot both win. This endpoint knows no automation by name.
/// </summary>
internal static class SubmitEndpoint
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const int MaxIdempotencyKeyLength = 200;

    public static async Task<Results<Accepted<SubmissionAccepted>, Ok<SubmissionAccepted>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        string slug,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        [AsParameters] AutomationRequest request,
        QueueSignal signal,
        IOptions<AutomationsOptions> automationsOptions,
        IOptions<QueueOptions> queueOptions)
    {
        var (automation, denied) = await request.AuthorizeAsync(slug);
        if (automation is null)
        {
            return denied!;
        }

        if (idempotencyKey is not null && !IsValidKey(idempotencyKey))
        {
            return ApiProblems.Validation(IdempotencyKeyHeader, $"De 1 a {MaxIdempotencyKeyLength} caracteres ASCII imprimíveis.");
        }

        var (body, problem) = await SubmitBody.ReadAsync(request.HttpContext.Request, automationsOptions.Value.MaxRequestBytes, request.CancellationToken);
        if (body is null)
        {
            return problem switch
            {
                ValidationProblem invalid => invalid,
                ProblemHttpResult other => other,
                _ => throw new InvalidOperationException("Unexpected body problem."),
            };
        }

        AutomationValidation validation;
        using (body)
        {
            validation = automation.Validate(body.RootElement);
        }

        if (!validation.IsValid)
        {
            return ApiProblems.Validation(validation.Errors, "A submissão tem campos inválidos.");
        }

        var payloadBytes = JsonSerializer.SerializeToUtf8Bytes(validation.Payload);
        var requestHash = SHA256.HashData(payloadBytes);
        var user = request.User;
        var db = request.Db;

        if (idempotencyKey is not null && await ReplayAsync(request, slug, idempotencyKey, requestHash) is { } earlier)
        {
            return earlier;
        }

        var submission = new Submission
        {
            // A UUIDv7, as EF's value generator assigns on Add (time-ordered: index locality of the primary key).
            Id = Guid.CreateVersion7(),
            Kind = automation.Slug,
            KindVersion = automation.Version,
            ActorUserId = user.Id,
            ActorName = user.Name,
            ActorEmail = user.Email,
            // The user's stored ciphertext and blind index, copied: the snapshot costs no crypto and no round trip.
            ActorCpfEncrypted = user.Cpf?.Cipher,
            ActorCpfHmac = user.Cpf?.Hmac,
            Payload = JsonDocument.Parse(payloadBytes),
            MaxAttempts = queueOptions.Value.MaxAttempts,
            IdempotencyKey = idempotencyKey,
            RequestHash = requestHash,
        };
        var audit = request.Audits.Create(AuditActions.SubmissionCreated, AuditOutcome.Success, user, automation.Slug, "submission", submission.Id.ToString(),
            new { kindVersion = automation.Version, idempotencyKey });
        try
        {
            // One round trip: both rows in one implicit transaction (SubmissionInsert). A commit whose acknowledgement
            // is lost is retried by the execution strategy only after the database says this submission (its id is
            // ours, chosen before the insert) is not there, so the retry neither inserts twice nor fails on its own row.
            await SubmissionInsert.ExecuteAsync(db, submission, audit, request.CancellationToken);
        }
        catch (PostgresException unique) when (unique.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The same key committed by a concurrent request, or by an earlier attempt whose answer was lost: the
            // same submission (200) for the same body, 409 for another.
            if (idempotencyKey is not null
                && unique.ConstraintName == DatabaseObjects.SubmissionsIdempotencyIndex
                && await ReplayAsync(request, slug, idempotencyKey, requestHash) is { } concurrent)
            {
                return concurrent;
            }

            // Our own row, committed by an attempt whose acknowledgement was lost: it is this submission.
            if (await db.Submissions.AsNoTracking().AnyAsync(s => s.Id == submission.Id && s.ActorUserId == user.Id, request.CancellationToken))
            {
                signal.Notify();
                return TypedResults.Accepted(
                    AutomationRequest.SubmissionUrl(automation.Slug, submission.Id),
                    new SubmissionAccepted(submission.Id, SubmissionStatus.Queued));
            }

            // A unique key the automation declared (e.g. one live DFD per protocolo): its own 409, audited.
            if (unique.ConstraintName is { } constraint && automation.DescribeConflict(constraint, validation) is { } conflict)
            {
                var metadata = new Dictionary<string, object?> { ["reason"] = conflict.Code };
                foreach (var (key, value) in conflict.Extensions)
                {
                    metadata[key] = value;
                }

                request.Audits.Add(db, AuditActions.SubmissionCreated, AuditOutcome.Failure, user, automation.Slug, "submission", null, metadata);
                await db.SaveChangesAsync(request.CancellationToken);
                return ApiProblems.Conflict(conflict.Code, conflict.Title, conflict.Detail, conflict.Extensions);
            }

            throw;
        }

        signal.Notify();
        return TypedResults.Accepted(
            AutomationRequest.SubmissionUrl(automation.Slug, submission.Id),
            new SubmissionAccepted(submission.Id, submission.Status));
    }

    /// <summary>
    /// An earlier submission with this key: the same one (200, same id) when the normalized payload is the same,
    /// 409 when the key was used for a different payload; null when the key is new.
    /// </summary>
    private static async Task<Results<Accepted<SubmissionAccepted>, Ok<SubmissionAccepted>, ValidationProblem, ProblemHttpResult>?> ReplayAsync(
        AutomationRequest request, string slug, string key, byte[] requestHash)
    {
        var userId = request.User.Id;
        var existing = await request.Db.Submissions.AsNoTracking()
            .Where(s => s.ActorUserId == userId && s.Kind == slug && s.IdempotencyKey == key)
            .Select(s => new { s.Id, s.Status, s.RequestHash })
            .FirstOrDefaultAsync(request.CancellationToken);
        if (existing is null)
        {
            return null;
        }

        if (existing.RequestHash is null || !CryptographicOperations.FixedTimeEquals(existing.RequestHash, requestHash))
        {
            return ApiProblems.Conflict(
                ApiProblems.IdempotencyKeyReused,
                "Idempotency-Key já usada para outra requisição.",
                "Use uma nova Idempotency-Key para uma submissão diferente.",
                new Dictionary<string, object?> { ["submissionId"] = existing.Id });
        }

        var headers = request.HttpContext.Response.Headers;
        headers.Location = AutomationRequest.SubmissionUrl(slug, existing.Id);
        headers["Idempotent-Replayed"] = "true";
        return TypedResults.Ok(new SubmissionAccepted(existing.Id, existing.Status));
    }

    private static bool IsValidKey(string key) =>
        key.Length is > 0 and <= MaxIdempotencyKeyLength && key.All(c => c is >= '!' and <= '~');
}
