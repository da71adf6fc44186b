using Agepar.Bff.Infrastructure;

namespace Agepar.Bff.Control;

/// <summary>One submission as the panel lists it (the payload and result are in <c>GET /api/control/submissions/{id}</c>).</summary>
internal sealed record PanelSubmission(
    Guid Id,
    string Kind,
    string KindVersion,
    string Status,
    ActorInfo Actor,
    int Attempts,
    int MaxAttempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error);
