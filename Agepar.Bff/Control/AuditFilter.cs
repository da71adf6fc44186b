namespace Agepar.Bff.Control;

/// <summary>Control-panel filters over <c>audits</c>; every one is applied in SQL.</summary>
/// <param name="Kind">audits.kind (automation slug), exact.</param>
/// <param name="Action">audits.action, exact (e.g. <c>submission.failed</c>).</param>
/// <param name="Outcome">success, failure or denied.</param>
/// <param name="Actor">A user id, e-mail or CPF.</param>
/// <param name="ObjectType">audits.object_type, exact.</param>
/// <param name="ObjectId">audits.object_id, exact (with <paramref name="ObjectType"/> uses ix_audits_object).</param>
/// <param name="Since">occurred_at &gt;= since.</param>
/// <param name="Until">occurred_at &lt; until.</param>
/// <param name="Text">Case-insensitive substring of the actor's name or e-mail, the object id or the metadata.</param>
internal sealed record AuditFilter(
    string? Kind = null,
    string? Action = null,
    string? Outcome = null,
    string? Actor = null,
    string? ObjectType = null,
    string? ObjectId = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    string? Text = null);
