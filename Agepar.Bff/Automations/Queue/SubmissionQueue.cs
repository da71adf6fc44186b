using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agepar.Bff.Audits;
using Agepar.Bff.Infrastructure;
using Agepar.Data;
using Agepar.Data.Audits;
using Agepar.Data.Protection;
using Agepar.Data.Submissions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Agepar.Bff.Automations.Queue;

/// <summary>
/// The queue protocol on <c>submissions</c> (docs/automations.md, "Queue"). Every state change runs in one
/// transaction with its audit row, and every change after the claim is guarded by
/// <c>lease_owner = @me AND attempts = @attempt</c>, so a worker that lost its lease (it stalled past
/// <c>lease_until</c> and another worker reclaimed the row) can no longer write anything.
/// </summary>
internal sealed class SubmissionQueue(
    IServiceScopeFactory scopes, AuditWriter audits, IOptions<QueueOptions> options)
{
    // Two index-ordered candidate scans (ix_submissions_queue, ix_submissions_lease), each locking only what it returns;
    // one OR-ed scan would make the planner pick ix_submissions_kind_status_created and filter every delayed row.
    private const string ClaimSql = """
        WITH queued AS (
               SELECT id, status AS previous_status, lease_owner AS previous_owner
                 FROM submissions
                WHERE status = 'queued' AND run_after <= now() AND kind = ANY(@kinds)
                ORDER BY run_after, created_at
                LIMIT @limit
                  FOR UPDATE SKIP LOCKED),
             expired AS (
               SELECT id, status AS previous_status, lease_owner AS previous_owner
                 FROM submissions
                WHERE status = 'running' AND lease_until < now() AND kind = ANY(@kinds)
                ORDER BY lease_until
                LIMIT @limit
                  FOR UPDATE SKIP LOCKED),
             -- Rows this worker holds but does not know it holds: a claim whose COMMIT went through while the
             -- connection died before the answer came back. Taken again now instead of after the lease expires.
             orphaned AS (
               SELECT id, status AS previous_status, lease_owner AS previous_owner
                 FROM submissions
                WHERE status = 'running' AND lease_owner = @owner AND lease_until >= now() AND NOT (id = ANY(@in_flight))
                LIMIT @limit
                  FOR UPDATE SKIP LOCKED),
             c AS (SELECT * FROM queued UNION ALL SELECT * FROM expired UNION ALL SELECT * FROM orphaned LIMIT @limit)
        UPDATE submissions AS s
           SET status = 'running',
               lease_owner = @owner,
               lease_until = now() + @lease,
               attempts = s.attempts + 1,
               started_at = coalesce(s.started_at, now())
          FROM c
         WHERE s.id = c.id
        RETURNING s.id, s.kind, s.kind_version, s.payload::text AS payload, s.attempts, s.max_attempts,
                  s.actor_user_id, s.actor_name, s.actor_email, s.actor_cpf_encrypted, s.actor_cpf_hmac, s.created_at,
                  c.previous_status = 'running' AS reclaimed, c.previous_owner
        """;

    private const string LeaseGuard = "id = @id AND status = 'running' AND lease_owner = @owner AND attempts = @attempt";

    /// <summary>Identifies this process's claims in <c>lease_owner</c> and in the audits.</summary>
    public string WorkerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// Leases up to <paramref name="limit"/> runnable submissions of <paramref name="kinds"/> and audits each start.
    /// <paramref name="inFlight"/> are the submissions this worker is processing; any other row leased to it is an
    /// orphan of an interrupted claim and is claimed again.
    /// </summary>
    public Task<IReadOnlyList<ClaimedSubmission>> ClaimAsync(int limit, string[] kinds, IReadOnlyCollection<Guid> inFlight, CancellationToken cancellationToken) =>
        InTransactionAsync<IReadOnlyList<ClaimedSubmission>>(async (db, ct) =>
        {
            var claimed = new List<ClaimedSubmission>();
            var previousOwners = new List<string?>();
            await using (var command = Command(db, ClaimSql))
            {
                command.Parameters.Add(new NpgsqlParameter("owner", WorkerId));
                command.Parameters.Add(new NpgsqlParameter("lease", options.Value.LeaseDuration));
                command.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = kinds });
                command.Parameters.Add(new NpgsqlParameter("limit", limit));
                command.Parameters.Add(new NpgsqlParameter("in_flight", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = inFlight.ToArray() });
                await using var reader = await command.ExecuteReaderAsync(ct);
                var parse = SqlRows.Parser<ClaimRow>(reader);
                while (await reader.ReadAsync(ct))
                {
                    var row = parse(reader);
                    using var payload = JsonDocument.Parse(row.Payload);
                    claimed.Add(new ClaimedSubmission(
                        row.Id, row.Kind, row.KindVersion, payload.RootElement.Clone(), row.Attempts, row.MaxAttempts,
                        row.ActorUserId, row.ActorName, row.ActorEmail,
                        row.ActorCpfEncrypted is null ? null : new SealedCpf(row.ActorCpfEncrypted, row.ActorCpfHmac!),
                        new DateTimeOffset(row.CreatedAt, TimeSpan.Zero), row.Reclaimed));
                    previousOwners.Add(row.PreviousOwner);
                }
            }

            for (var i = 0; i < claimed.Count; i++)
            {
                var job = claimed[i];
                Audit(db, AuditActions.SubmissionStarted, AuditOutcome.Success, job, new
                {
                    attempt = job.Attempt,
                    maxAttempts = job.MaxAttempts,
                    worker = WorkerId,
                    reclaimedFrom = job.Reclaimed ? previousOwners[i] : null,
                });
            }

            await db.SaveChangesAsync(ct);
            return claimed;
        }, cancellationToken);

    /// <summary>
    /// running → done: stores the result and the file, audits completion. False when the lease was lost (nothing written).
    /// </summary>
    public Task<bool> CompleteAsync(ClaimedSubmission job, AutomationOutput output, CancellationToken cancellationToken) =>
        InTransactionAsync(async (db, ct) =>
        {
            var result = (JsonObject)output.Result.DeepClone();
            SubmissionFile? file = null;
            if (output.File is { } generated)
            {
                file = new SubmissionFile
                {
                    SubmissionId = job.Id,
                    FileName = generated.FileName,
                    ContentType = generated.ContentType,
                    SizeBytes = generated.Content.LongLength,
                    Sha256 = SHA256.HashData(generated.Content),
                    Content = generated.Content,
                };
                db.SubmissionFiles.Add(file); // assigns the id
                result["file"] = new JsonObject
                {
                    ["id"] = file.Id,
                    ["name"] = file.FileName,
                    ["contentType"] = file.ContentType,
                    ["sizeBytes"] = file.SizeBytes,
                    ["sha256"] = Convert.ToHexStringLower(file.Sha256),
                };
            }

            await using (var command = Command(db, $"""
                UPDATE submissions
                   SET status = 'done', result = @result, error = NULL, finished_at = now(), lease_owner = NULL, lease_until = NULL
                 WHERE {LeaseGuard}
                """))
            {
                AddGuard(command, job);
                command.Parameters.Add(new NpgsqlParameter("result", NpgsqlDbType.Jsonb) { Value = result.ToJsonString() });
                if (await command.ExecuteNonQueryAsync(ct) != 1)
                {
                    db.ChangeTracker.Clear();
                    return false;
                }
            }

            Audit(db, AuditActions.SubmissionCompleted, AuditOutcome.Success, job, new
            {
                attempt = job.Attempt,
                worker = WorkerId,
                file = file is null ? null : new { file.FileName, file.SizeBytes },
            });
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);

    /// <summary>
    /// A failed attempt: back to <c>queued</c> with <c>run_after</c> = now + back-off, or <c>error</c> once the attempts
    /// are used up (or the failure is permanent). Null when the lease was lost.
    /// </summary>
    public Task<FailureOutcome?> FailAsync(ClaimedSubmission job, string error, bool permanent, CancellationToken cancellationToken) =>
        InTransactionAsync(async (db, ct) =>
        {
            FailureOutcome outcome;
            await using (var command = Command(db, $"""
                UPDATE submissions
                   SET status = CASE WHEN @permanent OR attempts >= max_attempts THEN 'error' ELSE 'queued' END,
                       run_after = CASE WHEN @permanent OR attempts >= max_attempts THEN run_after ELSE now() + @delay END,
                       finished_at = CASE WHEN @permanent OR attempts >= max_attempts THEN now() END,
                       error = @error, lease_owner = NULL, lease_until = NULL
                 WHERE {LeaseGuard}
                RETURNING status, run_after
                """))
            {
                AddGuard(command, job);
                command.Parameters.Add(new NpgsqlParameter("permanent", permanent));
                command.Parameters.Add(new NpgsqlParameter("delay", options.Value.RetryDelay(job.Attempt)));
                command.Parameters.Add(new NpgsqlParameter("error", error));
                await using var reader = await command.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct))
                {
                    return null;
                }

                outcome = new FailureOutcome(reader.GetString(0) == SubmissionStatus.Queued, reader.GetFieldValue<DateTimeOffset>(1));
            }

            Audit(db, AuditActions.SubmissionFailed, AuditOutcome.Failure, job, new
            {
                attempt = job.Attempt,
                maxAttempts = job.MaxAttempts,
                error,
                willRetry = outcome.WillRetry,
                nextAttemptAt = outcome.WillRetry ? outcome.RunAfter : (DateTimeOffset?)null,
                worker = WorkerId,
            });
            await db.SaveChangesAsync(ct);
            return outcome;
        }, cancellationToken);

    /// <summary>
    /// The attempt cannot be finished here (shutdown, or its outcome could not be recorded while the database was away):
    /// give the row back (the attempt is not counted) so any worker retries it now instead of after the lease expires.
    /// </summary>
    public Task<bool> ReleaseAsync(ClaimedSubmission job, string reason, CancellationToken cancellationToken) =>
        InTransactionAsync(async (db, ct) =>
        {
            await using (var command = Command(db, $"""
                UPDATE submissions
                   SET status = 'queued', attempts = greatest(attempts - 1, 0), run_after = now(), lease_owner = NULL, lease_until = NULL
                 WHERE {LeaseGuard}
                """))
            {
                AddGuard(command, job);
                if (await command.ExecuteNonQueryAsync(ct) != 1)
                {
                    return false;
                }
            }

            Audit(db, AuditActions.SubmissionFailed, AuditOutcome.Failure, job, new
            {
                attempt = job.Attempt,
                error = reason,
                willRetry = true,
                worker = WorkerId,
            });
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);

    private void Audit(AgeparDbContext db, string action, string outcome, ClaimedSubmission job, object metadata) =>
        audits.Add(db, action, outcome, kind: job.Kind, objectType: "submission", objectId: job.Id.ToString(), metadata: metadata,
            actorSnapshot: new ActorSnapshot(job.ActorUserId, job.ActorName, job.ActorEmail, job.ActorCpf));

    private async Task<T> InTransactionAsync<T>(Func<AgeparDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AgeparDbContext>();
        // No SAVEPOINT/RELEASE around SaveChanges (two more statements per transaction): a failure here never
        // continues the transaction, the execution strategy rolls it back and retries the whole unit.
        db.Database.AutoSavepointsEnabled = false;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = await work(db, ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);
    }

    private static NpgsqlCommand Command(AgeparDbContext db, string sql)
    {
        var command = (NpgsqlCommand)db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    private void AddGuard(NpgsqlCommand command, ClaimedSubmission job)
    {
        command.Parameters.Add(new NpgsqlParameter("id", job.Id));
        command.Parameters.Add(new NpgsqlParameter("owner", WorkerId));
        command.Parameters.Add(new NpgsqlParameter("attempt", job.Attempt));
    }

    /// <summary>A row of the claim's RETURNING list, mapped by column name (<see cref="SqlRows"/>).</summary>
    private sealed class ClaimRow
    {
        public Guid Id { get; set; }

        public string Kind { get; set; } = "";

        public string KindVersion { get; set; } = "";

        public string Payload { get; set; } = "";

        public int Attempts { get; set; }

        public int MaxAttempts { get; set; }

        public Guid ActorUserId { get; set; }

        public string? ActorName { get; set; }

        public string? ActorEmail { get; set; }

        /// <summary>The CPF's ciphertext and blind index (both null when the actor had none).</summary>
        public byte[]? ActorCpfEncrypted { get; set; }

        public byte[]? ActorCpfHmac { get; set; }

        /// <summary>timestamptz, read by Npgsql as a UTC <see cref="DateTime"/>.</summary>
        public DateTime CreatedAt { get; set; }

        public bool Reclaimed { get; set; }

        public string? PreviousOwner { get; set; }
    }
}
