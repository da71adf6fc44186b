namespace Agepar.Bff.Automations.Endpoints;

/// <summary>One of the caller's submissions in <c>GET /api/automations/{slug}/submissions</c>.</summary>
internal sealed record SubmissionSummary(
    Guid Id,
    string Kind,
    string Status,
    int Attempts,
    int MaxAttempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error);
