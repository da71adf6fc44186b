using System.ComponentModel.DataAnnotations;

namespace Agepar.Bff.Health;

/// <summary>Thresholds of <c>/api/health</c> (configuration section <c>Health</c>).</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>Database round trip above this many milliseconds reports Degraded (the seed's target: &lt; 100 ms).</summary>
    [Range(1, 60_000)]
    public int DatabaseLatencyDegradedMs { get; set; } = 100;
}
