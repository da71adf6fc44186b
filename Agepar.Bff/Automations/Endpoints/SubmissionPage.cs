namespace Agepar.Bff.Automations.Endpoints;

/// <summary>A keyset page: pass <paramref name="NextCursor"/> as <c>cursor</c> for the next one (null: last page).</summary>
internal sealed record SubmissionPage(IReadOnlyList<SubmissionSummary> Items, string? NextCursor);
