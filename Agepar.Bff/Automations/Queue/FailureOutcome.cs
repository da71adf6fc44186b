namespace Agepar.Bff.Automations.Queue;

/// <summary>What a failed attempt led to: another try at <paramref name="RunAfter"/>, or the final <c>error</c>.</summary>
internal sealed record FailureOutcome(bool WillRetry, DateTimeOffset RunAfter);
