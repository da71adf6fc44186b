using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Automations.Queue;

/// <summary>
/// Runs the queue in the BFF process: claims runnable submissions (up to <see cref="QueueOptions.Concurrency"/> at a
/// time) when woken by a local submit or every <see cref="QueueOptions.PollInterval"/>, processes each with a
/// timeout, and records the outcome. On shutdown it stops claiming and lets in-flight attempts finish; if the host's
/// shutdown timeout runs out first, the interrupted submissions are handed back to the queue.
/// </summary>
internal sealed partial class SubmissionWorker(
    SubmissionQueue queue,
    QueueSignal signal,
    AutomationCatalog catalog,
    AutomationMetrics metrics,
    IOptions<QueueOptions> queueOptions,
    IOptions<AutomationsOptions> automationsOptions,
    TimeProvider clock,
    ILogger<SubmissionWorker> logger) : BackgroundService
{
    private readonly CancellationTokenSource _abort = new();
    private readonly ConcurrentDictionary<Guid, Task> _inFlight = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = queueOptions.Value;
        LogStarted(queue.WorkerId, options.Concurrency, string.Join(',', catalog.Kinds));
        while (!stoppingToken.IsCancellationRequested)
        {
            var free = options.Concurrency - _inFlight.Count;
            var claimedAll = false;
            if (free > 0)
            {
                try
                {
                    var claimed = await queue.ClaimAsync(free, catalog.Kinds, [.. _inFlight.Keys], stoppingToken);
                    foreach (var job in claimed)
                    {
                        Start(job);
                    }

                    claimedAll = claimed.Count == free;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    LogClaimFailed(ex);
                }
            }

            if (claimedAll)
            {
                continue; // there may be more waiting
            }

            try
            {
                await signal.WaitAsync(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        var remaining = _inFlight.Values.ToArray();
        if (remaining.Length > 0)
        {
            LogDraining(remaining.Length);
            await Task.WhenAll(remaining);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host's shutdown timeout: past it, abort in-flight attempts (they are released back to the queue).
        await using (cancellationToken.Register(_abort.Cancel))
        {
            await base.StopAsync(cancellationToken);
        }

        // base.StopAsync stops waiting as soon as the host's timeout fires (possibly before the registration above has
        // run: callbacks run last-registered first), and the process would exit while the attempts are still running or
        // handing their rows back. Abort them here and give those hand-backs their bounded moment, so a SIGTERM leaves
        // no lease behind (otherwise the rows would wait for lease_until).
        if (ExecuteTask is { IsCompleted: false } draining)
        {
            await _abort.CancelAsync();
            try
            {
                await draining.WaitAsync(queueOptions.Value.OutcomeAttemptTimeout + TimeSpan.FromSeconds(1), CancellationToken.None);
            }
            catch (TimeoutException)
            {
                LogReleaseTimedOut(_inFlight.Count);
            }
        }
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    private void Start(ClaimedSubmission job)
    {
        metrics.Claimed.Add(1, new("kind", job.Kind), new("reclaimed", job.Reclaimed));
        if (job.Attempt == 1)
        {
            metrics.QueueWait.Record((clock.GetUtcNow() - job.CreatedAt).TotalSeconds, new KeyValuePair<string, object?>("kind", job.Kind));
        }

        // Registered before it can finish, so its removal in the finally block cannot race the registration.
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _inFlight[job.Id] = Task.Run(async () =>
        {
            await registered.Task;
            try
            {
                await ProcessAsync(job);
            }
            catch (Exception ex)
            {
                // Recording the outcome failed for longer than OutcomeRetryWindow (or the worker is being aborted):
                // hand the row back if the database answers at all; otherwise the lease expires and another attempt follows.
                LogOutcomeNotRecorded(ex, job.Id);
                await TryReleaseAsync(job);
            }
            finally
            {
                _inFlight.TryRemove(job.Id, out _);
                signal.Notify();
            }
        });
        registered.SetResult();
    }

    private async Task ProcessAsync(ClaimedSubmission job)
    {
        using var activity = AutomationMetrics.ActivitySource.StartActivity("submission.process");
        activity?.SetTag("agepar.submission.id", job.Id);
        activity?.SetTag("agepar.submission.kind", job.Kind);
        activity?.SetTag("agepar.submission.attempt", job.Attempt);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["SubmissionId"] = job.Id, ["Kind"] = job.Kind });
        var options = queueOptions.Value;

        if (job.Attempt > job.MaxAttempts)
        {
            // Every attempt so far ended with the worker dying (lease expired): stop retrying a poison submission.
            await RecordFailureAsync(job, "The submission was interrupted too many times (worker stopped during processing).", permanent: true);
            return;
        }

        if (catalog.Find(job.Kind) is not { } automation)
        {
            await RecordFailureAsync(job, $"No automation '{job.Kind}' is installed.", permanent: true);
            return;
        }

        // A first, ordinary attempt is logged at Debug: its outcome line ("done", "failed", "ended in error") follows
        // and its trace spans cover it. A retry or a reclaimed job is news, at Information.
        if (job.Attempt > 1 || job.Reclaimed)
        {
            LogProcessing(job.Id, job.Kind, job.Attempt, job.MaxAttempts, job.Reclaimed);
        }
        else
        {
            LogFirstAttempt(job.Id, job.Kind);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        timeout.CancelAfter(options.ProcessingTimeout);
        var started = Stopwatch.GetTimestamp();
        AutomationOutput output;
        try
        {
            output = await automation.ProcessAsync(
                new AutomationJob(job.Id, job.KindVersion, job.Payload, job.Attempt, job.MaxAttempts, job.ActorName, job.ActorEmail, job.CreatedAt),
                timeout.Token);
            CheckLimits(output);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            var released = await RecordAsync(job, "release", ct => queue.ReleaseAsync(job, ShutdownReason, ct), retry: false);
            metrics.Finished.Add(1, new("kind", job.Kind), new("outcome", released ? "released" : "lost_lease"));
            LogReleased(job.Id);
            return;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "timeout");
            await RecordFailureAsync(job, $"Timed out after {options.ProcessingTimeout.TotalSeconds:0} s.", permanent: false);
            return;
        }
        catch (AutomationException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            LogAttemptFailed(ex, job.Id, job.Attempt);
            await RecordFailureAsync(job, ex.Message, ex.Permanent);
            return;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            activity?.AddException(ex);
            LogAttemptFailed(ex, job.Id, job.Attempt);
            var trace = Activity.Current?.TraceId.ToString();
            await RecordFailureAsync(job, $"Unexpected error ({ex.GetType().Name}); see the server logs (trace {trace}).", permanent: false);
            return;
        }
        finally
        {
            metrics.Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("kind", job.Kind));
        }

        var completed = await RecordAsync(job, "completion", ct => queue.CompleteAsync(job, output, ct));
        metrics.Finished.Add(1, new("kind", job.Kind), new("outcome", completed ? "done" : "lost_lease"));
        if (completed)
        {
            LogCompleted(job.Id, job.Kind, job.Attempt);
        }
        else
        {
            LogLostLease(job.Id);
        }
    }

    private void CheckLimits(AutomationOutput output)
    {
        var limits = automationsOptions.Value;
        if (output.File is { } file && file.Content.Length > limits.MaxFileBytes)
        {
            throw new AutomationException($"The generated file has {file.Content.Length} bytes; the limit is {limits.MaxFileBytes}.", permanent: true);
        }

        if (Encoding.UTF8.GetByteCount(output.Result.ToJsonString()) > limits.MaxResultBytes)
        {
            throw new AutomationException($"The result is larger than {limits.MaxResultBytes} bytes.", permanent: true);
        }
    }

    private const string ShutdownReason = "Interrupted: the worker is shutting down; the attempt is not counted.";

    private const string UnrecordedReason = "The outcome could not be recorded while the database was unreachable; the attempt is not counted.";

    /// <summary>
    /// Records an outcome, retrying with back-off (<see cref="QueueOptions.OutcomeRetryBaseDelay"/> doubling to 5 s, each
    /// try bounded by <see cref="QueueOptions.OutcomeAttemptTimeout"/>) for <see cref="QueueOptions.OutcomeRetryWindow"/>,
    /// so a job finished while the database was away is recorded seconds after it returns instead of waiting for its
    /// lease to expire. Not cut short by a graceful shutdown; an abort (the host's shutdown timeout) stops the retries.
    /// </summary>
    private async Task<T> RecordAsync<T>(ClaimedSubmission job, string what, Func<CancellationToken, Task<T>> record, bool retry = true)
    {
        var options = queueOptions.Value;
        var giveUpAt = clock.GetUtcNow() + options.OutcomeRetryWindow;
        var delay = options.OutcomeRetryBaseDelay;
        for (var attempt = 1; ; attempt++)
        {
            using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(retry ? _abort.Token : CancellationToken.None);
            attemptCts.CancelAfter(options.OutcomeAttemptTimeout);
            try
            {
                var result = await record(attemptCts.Token);
                if (attempt > 1)
                {
                    LogOutcomeRecordedAfterRetries(job.Id, what, attempt);
                }

                return result;
            }
            catch (Exception ex) when (retry && !_abort.IsCancellationRequested && clock.GetUtcNow() + delay < giveUpAt && IsRetriable(ex))
            {
                LogOutcomeRetry(job.Id, what, attempt, delay, ex.GetBaseException().Message);
                await Task.Delay(delay, clock, _abort.Token);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    /// <summary>Database unreachable, connection broken, a try that timed out: worth another try. A bug is not.</summary>
    private static bool IsRetriable(Exception ex) =>
        ex is Npgsql.NpgsqlException or TimeoutException or OperationCanceledException or InvalidOperationException
            or Microsoft.EntityFrameworkCore.DbUpdateException
        || ex.InnerException is Npgsql.NpgsqlException or TimeoutException;

    /// <summary>Last resort after the outcome could not be recorded: one try to hand the row back (nothing happens when the lease is gone).</summary>
    private async Task TryReleaseAsync(ClaimedSubmission job)
    {
        try
        {
            using var cts = new CancellationTokenSource(queueOptions.Value.OutcomeAttemptTimeout);
            var released = await queue.ReleaseAsync(job, UnrecordedReason, cts.Token);
            metrics.Finished.Add(1, new("kind", job.Kind), new("outcome", released ? "released" : "lost_lease"));
            if (released)
            {
                LogReleasedUnrecorded(job.Id);
            }
        }
        catch (Exception ex)
        {
            LogReleaseFailed(job.Id, ex.GetBaseException().Message);
        }
    }

    private async Task RecordFailureAsync(ClaimedSubmission job, string error, bool permanent)
    {
        var truncated = error.Length <= 2000 ? error : error[..2000];
        var outcome = await RecordAsync(job, "failure", ct => queue.FailAsync(job, truncated, permanent, ct));
        var label = outcome switch { null => "lost_lease", { WillRetry: true } => "retry", _ => "error" };
        metrics.Finished.Add(1, new("kind", job.Kind), new("outcome", label));
        if (outcome is { WillRetry: true })
        {
            LogRetryScheduled(job.Id, job.Attempt, outcome.RunAfter);
        }
        else if (outcome is not null)
        {
            LogGaveUp(job.Id, job.Attempt, truncated);
        }
        else
        {
            LogLostLease(job.Id);
        }
    }

    [LoggerMessage(LogLevel.Information, "Submission worker {WorkerId} started: concurrency {Concurrency}, kinds {Kinds}")]
    private partial void LogStarted(string workerId, int concurrency, string kinds);

    [LoggerMessage(LogLevel.Warning, "Claiming submissions failed; retrying at the next poll")]
    private partial void LogClaimFailed(Exception exception);

    [LoggerMessage(LogLevel.Information, "Processing submission {SubmissionId} ({Kind}), attempt {Attempt} of {MaxAttempts}, reclaimed {Reclaimed}")]
    private partial void LogProcessing(Guid submissionId, string kind, int attempt, int maxAttempts, bool reclaimed);

    [LoggerMessage(LogLevel.Debug, "Processing submission {SubmissionId} ({Kind}), first attempt")]
    private partial void LogFirstAttempt(Guid submissionId, string kind);

    [LoggerMessage(LogLevel.Information, "Submission {SubmissionId} ({Kind}) done on attempt {Attempt}")]
    private partial void LogCompleted(Guid submissionId, string kind, int attempt);

    [LoggerMessage(LogLevel.Warning, "Submission {SubmissionId} attempt {Attempt} failed")]
    private partial void LogAttemptFailed(Exception exception, Guid submissionId, int attempt);

    [LoggerMessage(LogLevel.Information, "Submission {SubmissionId} will be retried after attempt {Attempt}, at {RunAfter}")]
    private partial void LogRetryScheduled(Guid submissionId, int attempt, DateTimeOffset runAfter);

    [LoggerMessage(LogLevel.Warning, "Submission {SubmissionId} ended in error after attempt {Attempt}: {Error}")]
    private partial void LogGaveUp(Guid submissionId, int attempt, string error);

    [LoggerMessage(LogLevel.Warning, "Submission {SubmissionId}: the lease was lost before the outcome was recorded; the new holder decides")]
    private partial void LogLostLease(Guid submissionId);

    [LoggerMessage(LogLevel.Information, "Submission {SubmissionId} handed back to the queue (shutdown)")]
    private partial void LogReleased(Guid submissionId);

    [LoggerMessage(LogLevel.Error, "The outcome of submission {SubmissionId} could not be recorded; handing it back to the queue")]
    private partial void LogOutcomeNotRecorded(Exception exception, Guid submissionId);

    [LoggerMessage(LogLevel.Warning, "Submission {SubmissionId}: recording the {What} failed (try {Attempt}), retrying in {Delay}: {Reason}")]
    private partial void LogOutcomeRetry(Guid submissionId, string what, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(LogLevel.Information, "Submission {SubmissionId}: {What} recorded on try {Attempt}")]
    private partial void LogOutcomeRecordedAfterRetries(Guid submissionId, string what, int attempt);

    [LoggerMessage(LogLevel.Warning, "Submission {SubmissionId} handed back to the queue: its outcome could not be recorded")]
    private partial void LogReleasedUnrecorded(Guid submissionId);

    [LoggerMessage(LogLevel.Error, "Submission {SubmissionId} could not be handed back either; its lease will expire and it will be retried: {Reason}")]
    private partial void LogReleaseFailed(Guid submissionId, string reason);

    [LoggerMessage(LogLevel.Warning, "Shutting down: {InFlight} submissions could not be handed back in time; their leases will expire")]
    private partial void LogReleaseTimedOut(int inFlight);

    [LoggerMessage(LogLevel.Information, "Shutting down: waiting for {InFlight} submissions in flight")]
    private partial void LogDraining(int inFlight);
}
