using System.Diagnostics.Metrics;

namespace Agepar.Data.Connection;

/// <summary>Meter <c>Agepar.Data</c>: database health and retry figures (the dashboard and Prometheus show them).</summary>
public static class DatabaseMetrics
{
    public const string MeterName = "Agepar.Data";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Transient failures retried by the execution strategy.</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "agepar.db.retries", unit: "{retry}", description: "Database operations retried after a transient failure");

    /// <summary>Round-trip time of the health check's <c>SELECT 1</c>.</summary>
    /// <summary>Replay lag of the read replica in seconds, as the last health check measured it (0 when caught up).</summary>
    public static readonly Gauge<double> ReplicaLag = Meter.CreateGauge<double>(
        "agepar.db.replica.lag", unit: "s", description: "Replay lag of the read replica (hot standby) at the last health check");

    public static readonly Histogram<double> HealthLatency = Meter.CreateHistogram<double>(
        "agepar.db.health.latency", unit: "ms", description: "Latency of the health check's database round trip");

    /// <summary>Health checks that did not report Healthy, by check name and status.</summary>
    public static readonly Counter<long> HealthCheckFailures = Meter.CreateCounter<long>(
        "agepar.health.check.failures", unit: "{failure}", description: "Health checks that reported Degraded or Unhealthy");
}
