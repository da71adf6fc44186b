using System.Text.Json;

namespace Agepar.Bff.Automations.Queue;

/// <summary>A submission this worker holds the lease of (the row as the claim returned it).</summary>
internal sealed record ClaimedSubmission(
    Guid Id,
    string Kind,
    string KindVersion,
    JsonElement Payload,
    int Attempt,
    int MaxAttempts,
    Guid ActorUserId,
    string? ActorName,
    string? ActorEmail,
    Agepar.Data.Protection.SealedCpf? ActorCpf,
    DateTimeOffset CreatedAt,
    bool Reclaimed);
