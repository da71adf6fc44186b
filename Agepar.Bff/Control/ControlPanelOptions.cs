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

    /// <summary>
    /// Rows of an export's first keyset batch (a COPY); later batches double while the client keeps up, up to
    /// <see cref="CopyCsvExport.MaxBatchGrowth"/> times this, and a batch cut for a slow client releases its connection
    /// (<see cref="CopyCsvExport"/>).
    /// </summary>
    [Range(1, 50_000)]
    public int ExportBatchSize { get; set; } = 10_000;

    /// <summary>statement_timeout of each export batch; a batch past it ends the export (422 before the first byte).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ExportBatchTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>CSV exports running at once in this process; one more answers 429 with Retry-After.</summary>
    [Range(1, 1000)]
    public int ExportMaxConcurrent { get; set; } = 4;

    /// <summary>CSV exports one user may run at once in this process; one more answers 429 with Retry-After.</summary>
    [Range(1, 1000)]
    public int ExportMaxConcurrentPerUser { get; set; } = 1;

    /// <summary>The Retry-After (seconds) of an export refused by the concurrency caps.</summary>
    [Range(1, 3600)]
    public int ExportRetryAfterSeconds { get; set; } = 10;
}
