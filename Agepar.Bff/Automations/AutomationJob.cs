using System.Text.Json;

namespace Agepar.Bff.Automations;

/// <summary>What a worker hands to <see cref="IAutomation.ProcessAsync"/>: one claimed submission.</summary>
/// <param name="SubmissionId">submissions.id</param>
/// <param name="KindVersion">The automation version that accepted the payload.</param>
/// <param name="Payload">The normalized payload stored at submit time.</param>
/// <param name="Attempt">1 for the first run, 2 for the first retry, …</param>
/// <param name="MaxAttempts">Attempts allowed before the submission ends in error.</param>
/// <param name="ActorName">Snapshot of the submitter's name.</param>
/// <param name="ActorEmail">Snapshot of the submitter's e-mail.</param>
/// <param name="CreatedAt">When it was submitted.</param>
internal sealed record AutomationJob(
    Guid SubmissionId,
    string KindVersion,
    JsonElement Payload,
    int Attempt,
    int MaxAttempts,
    string? ActorName,
    string? ActorEmail,
    DateTimeOffset CreatedAt);
