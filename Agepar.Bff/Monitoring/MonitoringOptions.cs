using System.ComponentModel.DataAnnotations;

namespace Agepar.Bff.Monitoring;

/// <summary>Database statistics published as metrics (configuration section <c>Monitoring</c>).</summary>
public sealed class MonitoringOptions
{
    public const string SectionName = "Monitoring";

    /// <summary>Publish the <c>agepar.db.*</c> statistics gauges from this process.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the statistics are read from the database (one small batch of catalog queries).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Serve every metric of the BFF in Prometheus text format at <c>GET /metrics</c> (off by default).</summary>
    public bool PrometheusEndpoint { get; set; }

    /// <summary>
    /// Bearer token a scraper must send to <c>/metrics</c> (<c>Authorization: Bearer …</c>; Prometheus
    /// <c>authorization.credentials</c>). Empty: no token asked, so only expose the port on an internal network.
    /// </summary>
    public string? PrometheusToken { get; set; }

    /// <summary>Statements listed by <c>GET /api/admin/database/stats</c> (most total execution time first).</summary>
    [Range(0, 100)]
    public int TopStatements { get; set; } = 10;
}
