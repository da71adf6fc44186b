using System.ComponentModel.DataAnnotations;

namespace Agepar.Bff.Health;

/// <summary>Thresholds of <c>/api/health</c> (configuration section <c>Health</c>).</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>Database round trip above this many milliseconds reports Degraded (the seed's target: &lt; 100 ms).</summary>
    [Range(1, 60_000)]
    public int DatabaseLatencyDegradedMs { get; set; } = 100;

    /// <summary><c>database-pool</c> is Degraded while a connection pool has this share (%) of its connections in use.</summary>
    [Range(1, 100)]
    public int PoolSaturationDegradedPercent { get; set; } = 90;

    /// <summary>
    /// How long the <c>schema</c> check's result is reused: a flood of health calls then costs one migrations query per
    /// period. Zero: checked on every call.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SchemaCheckCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The read replica's replay lag above this many seconds reports <c>database-replica</c> Degraded (a hot standby;
    /// the control panel would show data this old).
    /// </summary>
    [Range(1, 86_400)]
    public int ReplicaLagDegradedSeconds { get; set; } = 30;

    /// <summary>
    /// How often Redis is PINGed in the background; the <c>redis</c> check reports the last answer (at most this old)
    /// and is Degraded once a PING has waited twice this long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan RedisPingInterval { get; set; } = TimeSpan.FromSeconds(1);
}
