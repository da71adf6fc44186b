namespace Agepar.Bff.Control;

/// <summary>Control-panel filters over <c>submissions</c>; every one is applied in SQL.</summary>
/// <param name="Kind">submissions.kind (automation slug), exact.</param>
/// <param name="Status">queued, running, done, error or cancelled.</param>
/// <param name="Actor">A user id, e-mail or CPF.</param>
/// <param name="Since">created_at &gt;= since.</param>
/// <param name="Until">created_at &lt; until.</param>
/// <param name="Text">Case-insensitive substring of the actor's name or e-mail, the error or the payload.</param>
internal sealed record SubmissionFilter(
    string? Kind = null,
    string? Status = null,
    string? Actor = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    string? Text = null);
