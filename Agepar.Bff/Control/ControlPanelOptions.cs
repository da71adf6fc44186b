using System.ComponentModel.DataAnnotations;

namespace Agepar.Bff.Control;

/// <summary>The control panel (configuration section <c>ControlPanel</c>).</summary>
internal sealed class ControlPanelOptions
{
    public const string SectionName = "ControlPanel";

    /// <summary>Totals are counted exactly up to this many rows; above it the planner's estimate is returned, flagged.</summary>
    [Range(100, 10_000_000)]
    public int MaxExactCount { get; set; } = 10_000;

    [Range(1, 500)]
    public int DefaultPageSize { get; set; } = 50;

    [Range(1, 5000)]
    public int MaxPageSize { get; set; } = 500;

    /// <summary>statement_timeout of the list and count queries; a slower query answers 422 (narrow the filters).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>CSV exports flush the response every this many rows.</summary>
    [Range(1, 100_000)]
    public int CsvFlushEveryRows { get; set; } = 1000;
}
