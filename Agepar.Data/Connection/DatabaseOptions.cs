using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace Agepar.Data.Connection;

/// <summary>
/// Connection pool, timeouts, retries and TLS of every connection to the Agepar database (configuration section
/// <c>Database</c>). Defaults follow the seed: pool 10 + 5 overflow, 30 s acquire timeout, 30 s command timeout.
/// </summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Hard ceiling of open connections per process (the seed's pool_size 10 + max_overflow 5).</summary>
    [Range(1, 1000)]
    public int MaxPoolSize { get; set; } = 15;

    /// <summary>Connections kept open when idle (the seed's pool_size); the rest close after <see cref="ConnectionIdleLifetimeSeconds"/>.</summary>
    [Range(0, 1000)]
    public int MinPoolSize { get; set; } = 10;

    /// <summary>How long a caller waits for a free pooled connection (or a new one to open) before failing.</summary>
    [Range(1, 600)]
    public int AcquireTimeoutSeconds { get; set; } = 30;

    /// <summary>Maximum time of one SQL command.</summary>
    [Range(1, 3600)]
    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>Idle time after which connections above <see cref="MinPoolSize"/> are closed.</summary>
    [Range(1, 3600)]
    public int ConnectionIdleLifetimeSeconds { get; set; } = 300;

    /// <summary>
    /// TLS mode (Disable, Allow, Prefer, Require, VerifyCA, VerifyFull). Unset: whatever the connection string says
    /// (the AppHost's <c>db-sslmode</c> parameter). In Production anything weaker than Require refuses to start.
    /// </summary>
    public SslMode? SslMode { get; set; }

    /// <summary>CA certificate (PEM path) used to verify the server with VerifyCA/VerifyFull.</summary>
    public string? RootCertificate { get; set; }

    /// <summary>Retries of a transient failure (connection lost, server restarting, serialization failure).</summary>
    [Range(0, 20)]
    public int MaxRetryCount { get; set; } = 3;

    /// <summary>Upper bound of the exponential back-off between retries.</summary>
    [Range(1, 300)]
    public int MaxRetryDelaySeconds { get; set; } = 5;

    /// <summary>
    /// Set when connecting through pgBouncer in transaction mode: disables automatic statement preparation and the
    /// session reset on close, which a transaction pooler cannot honour.
    /// </summary>
    public bool PgBouncer { get; set; }

    /// <summary>
    /// <c>DISCARD ALL</c> each time a pooled connection is reused (Npgsql's default). The BFF turns it off: it keeps no
    /// session state (only <c>SET LOCAL</c>, transaction-scoped advisory locks; the same rule pgBouncer transaction mode
    /// imposes), so the reset is pure cost, one more statement the server runs on every request. Always off with
    /// <see cref="PgBouncer"/>.
    /// </summary>
    public bool ResetOnClose { get; set; } = true;

    /// <summary>Shown in pg_stat_activity (default: the service name).</summary>
    public string? ApplicationName { get; set; }
}
