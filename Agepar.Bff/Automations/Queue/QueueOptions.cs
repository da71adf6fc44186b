using System.ComponentModel.DataAnnotations;

namespace Agepar.Bff.Automations.Queue;

/// <summary>The submission worker (configuration section <c>Automations:Queue</c>).</summary>
internal sealed class QueueOptions : IValidatableObject
{
    public const string SectionName = "Automations:Queue";

    /// <summary>Run the worker in this process (a replica can serve HTTP only).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Submissions processed at the same time by this process.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;

    /// <summary>How often an idle worker looks for work submitted through other replicas (a local submit wakes it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a claim is valid; a running submission whose lease expired (crashed worker) is claimed again.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "06:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest run of one attempt; must be shorter than <see cref="LeaseDuration"/> so a live worker never loses its lease.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "06:00:00")]
    public TimeSpan ProcessingTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts a new submission gets (<c>submissions.max_attempts</c>).</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Delay before the first retry; doubled for each further attempt (with ±20 % jitter).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound of the retry delay.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a worker keeps retrying to record an outcome (done, failed) when the database does not answer, with
    /// back-off from <see cref="OutcomeRetryBaseDelay"/> up to 5 s; then it releases the lease. Retrying past the lease
    /// is safe: every write is guarded by the lease owner and attempt, so once another worker reclaimed the row the
    /// late outcome is refused (nothing runs twice to completion).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "06:00:00")]
    public TimeSpan OutcomeRetryWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>First delay between two tries to record an outcome (doubled up to 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:05")]
    public TimeSpan OutcomeRetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Upper bound of one try to record an outcome (a pgBouncer may hold a query while the server is away).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan OutcomeAttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {

        if (ProcessingTimeout >= LeaseDuration)
        {
            yield return new ValidationResult(
                "ProcessingTimeout must be shorter than LeaseDuration.", [nameof(ProcessingTimeout), nameof(LeaseDuration)]);
        }

        if (RetryMaxDelay < RetryBaseDelay)
        {
            yield return new ValidationResult("RetryMaxDelay must not be shorter than RetryBaseDelay.", [nameof(RetryMaxDelay)]);
        }
    }

    /// <summary>Delay before attempt <paramref name="failedAttempt"/> + 1: base · 2^(n-1), capped, ±20 % jitter.</summary>
    public TimeSpan RetryDelay(int failedAttempt)
    {
        var exponential = RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(failedAttempt - 1, 0, 30));
        var capped = Math.Min(exponential, RetryMaxDelay.TotalMilliseconds);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(Math.Min(capped * jitter, RetryMaxDelay.TotalMilliseconds));
    }
}
