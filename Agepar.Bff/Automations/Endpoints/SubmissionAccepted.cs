namespace Agepar.Bff.Automations.Endpoints;

/// <summary>Answer of submit (202, or 200 for an idempotent replay) and of cancel.</summary>
internal sealed record SubmissionAccepted(Guid SubmissionId, string Status);
