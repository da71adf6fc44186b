using System.Text.Json;
using Agepar.Data.Auth;

namespace Agepar.Data.Submissions;

/// <summary>One execution of an automation (table <c>submissions</c>): the request, its queue state and its result.</summary>
public sealed class Submission
{
    /// <summary>Primary key: EF assigns a UUIDv7 when the entity is added; the column default <c>gen_random_uuid()</c> covers SQL inserts.</summary>
    public Guid Id { get; set; }

    /// <summary>Automation slug (e.g. <c>dfd</c>, <c>ferias</c>, <c>form2json</c>).</summary>
    public required string Kind { get; set; }

    /// <summary>Version of the automation that accepted the request.</summary>
    public required string KindVersion { get; set; }

    /// <summary>The submitting user (deleting a user with submissions is refused).</summary>
    public Guid ActorUserId { get; set; }

    /// <summary>Snapshot of the actor's name at submission time.</summary>
    public string? ActorName { get; set; }

    /// <summary>Snapshot of the actor's e-mail at submission time.</summary>
    public string? ActorEmail { get; set; }

    /// <summary>Snapshot of the actor's CPF at submission time, encrypted (<see cref="Protection.CpfProtector"/>).</summary>
    public byte[]? ActorCpfEncrypted { get; set; }

    /// <summary>Blind index of the snapshot CPF (HMAC-SHA256), the value the audit chain hashes.</summary>
    public byte[]? ActorCpfHmac { get; set; }

    /// <summary>The normalized input (<c>jsonb</c>).</summary>
    public required JsonDocument Payload { get; set; }

    /// <summary>Queue state, one of <see cref="SubmissionStatus"/>.</summary>
    public string Status { get; set; } = SubmissionStatus.Queued;

    /// <summary>Output manifest (<c>jsonb</c>) once done.</summary>
    public JsonDocument? Result { get; set; }

    /// <summary>Last error message, for <see cref="SubmissionStatus.Error"/>.</summary>
    public string? Error { get; set; }

    /// <summary>Number of times a worker has started this submission.</summary>
    public int Attempts { get; set; }

    /// <summary>Attempts allowed before the submission stays in error (default 3).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Worker instance currently holding the lease.</summary>
    public string? LeaseOwner { get; set; }

    /// <summary>End of the current lease; a running row past it may be reclaimed.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>Earliest time a worker may claim the row (backoff); database default <c>now()</c>.</summary>
    public DateTimeOffset RunAfter { get; set; }

    /// <summary>Client-supplied idempotency key, unique per (actor, kind).</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>Hash of the request body, to tell a replay from a conflicting reuse of the idempotency key.</summary>
    public byte[]? RequestHash { get; set; }

    /// <summary>Creation time (database default <c>now()</c>).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When a worker last started it.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When it reached done, error or cancelled.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Last update time, maintained by the <c>set_updated_at()</c> trigger and read back after each save.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Navigation to the submitting user.</summary>
    public User? ActorUser { get; set; }

    /// <summary>Generated documents.</summary>
    public ICollection<SubmissionFile> Files { get; } = [];
}
