using System.ComponentModel;
using Agepar.Bff.Infrastructure;
using Agepar.Data.Submissions;

namespace Agepar.Bff.Control;

/// <summary>Query string of <c>GET /api/control/submissions</c> and <c>submissions.csv</c> (bound as text, checked by <see cref="Parse"/>).</summary>
internal sealed class SubmissionQueryParameters
{
    [Description("Automation slug, exact.")]
    public string? Kind { get; set; }

    [Description("queued | running | done | error | cancelled")]
    public string? Status { get; set; }

    [Description("The submitter: id (uuid), e-mail or CPF.")]
    public string? Actor { get; set; }

    [Description("Created from this instant (inclusive): 2026-03-01 or 2026-03-01T12:00:00Z.")]
    public string? Since { get; set; }

    [Description("Created before this instant (exclusive); a bare date includes that whole day.")]
    public string? Until { get; set; }

    [Description("Case-insensitive text in the submitter's name or e-mail, the error or the payload.")]
    public string? Text { get; set; }

    [Description("nextCursor of the previous page.")]
    public string? Cursor { get; set; }

    [Description("Page size (default 50, at most 500).")]
    public string? Limit { get; set; }

    public SubmissionFilter Parse(ValidationErrors errors) => new(
        Kind: FilterParsing.Text("kind", Kind, 100, errors),
        Status: FilterParsing.OneOf("status", Status, SubmissionStatus.All, errors),
        Actor: FilterParsing.Text("actor", Actor, 254, errors),
        Since: FilterParsing.Instant("since", Since, upperBound: false, errors),
        Until: FilterParsing.Instant("until", Until, upperBound: true, errors),
        Text: FilterParsing.Text("text", Text, 200, errors));
}
