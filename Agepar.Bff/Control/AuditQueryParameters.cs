using System.ComponentModel;
using Agepar.Bff.Infrastructure;
using Agepar.Data.Audits;

namespace Agepar.Bff.Control;

/// <summary>Query string of <c>GET /api/control/audits</c> and <c>audits.csv</c> (bound as text, checked by <see cref="Parse"/>).</summary>
internal sealed class AuditQueryParameters
{
    [Description("Automation slug (audits.kind), exact.")]
    public string? Kind { get; set; }

    [Description("Action, exact, e.g. submission.failed (see GET /api/control/facets).")]
    public string? Action { get; set; }

    [Description("success | failure | denied")]
    public string? Outcome { get; set; }

    [Description("The acting user: id (uuid), e-mail or CPF.")]
    public string? Actor { get; set; }

    [Description("Object type, exact (e.g. submission).")]
    public string? ObjectType { get; set; }

    [Description("Object id, exact (e.g. a submission id).")]
    public string? ObjectId { get; set; }

    [Description("From this instant (inclusive): 2026-03-01 or 2026-03-01T12:00:00Z.")]
    public string? Since { get; set; }

    [Description("Up to this instant (exclusive); a bare date includes that whole day.")]
    public string? Until { get; set; }

    [Description("Case-insensitive text in the actor's name or e-mail, the object id or the metadata.")]
    public string? Text { get; set; }

    [Description("nextCursor of the previous page.")]
    public string? Cursor { get; set; }

    [Description("Page size (default 50, at most 500).")]
    public string? Limit { get; set; }

    public AuditFilter Parse(ValidationErrors errors) => new(
        Kind: FilterParsing.Text("kind", Kind, 100, errors),
        Action: FilterParsing.Text("action", Action, 100, errors),
        Outcome: FilterParsing.OneOf("outcome", Outcome, AuditOutcome.All, errors),
        Actor: FilterParsing.Text("actor", Actor, 254, errors),
        ObjectType: FilterParsing.Text("objectType", ObjectType, 100, errors),
        ObjectId: FilterParsing.Text("objectId", ObjectId, 200, errors),
        Since: FilterParsing.Instant("since", Since, upperBound: false, errors),
        Until: FilterParsing.Instant("until", Until, upperBound: true, errors),
        Text: FilterParsing.Text("text", Text, 200, errors));
}
