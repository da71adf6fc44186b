using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace Agepar.Bff.Control;

/// <summary>What a CSV export needs besides the filters (bound with <c>[AsParameters]</c>).</summary>
internal sealed class CsvExportRequest
{
    [FromQuery(Name = "delimiter")]
    [Description("comma (default): RFC 4180 with ','. semicolon: ';' as spreadsheets with a decimal comma (pt-BR) expect. Both UTF-8 with BOM and CRLF.")]
    public string? Delimiter { get; set; }

    public HttpContext HttpContext { get; set; } = null!;

    public ExportSlots Slots { get; set; } = null!;
}
