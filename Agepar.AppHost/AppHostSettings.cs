using Microsoft.Extensions.Configuration;

namespace Agepar.AppHost;

/// <summary>
/// Every AppHost setting, read once from configuration (appsettings.json, environment variables with <c>__</c>,
/// user secrets, command line). The README's "Configuration" table documents each key.
/// </summary>
internal sealed record AppHostSettings(
    string? ContainerRegistry,
    bool PgAdminEnabled,
    int? PostgresHostPort,
    string? PostgresDataVolume,
    int? BffHostPort,
    IReadOnlyDictionary<string, string> BffEnvironment,
    bool BackupEnabled,
    string? BackupVolume,
    string BackupAt,
    int BackupRetentionDays,
    string? BackupImage,
    bool BackupStorageEnabled,
    string BackupStorageImage,
    string? BackupStorageVolume,
    string BackupStorageContainer,
    ReadReplicaMode ReadReplica,
    bool PgBouncerEnabled,
    string PgBouncerImage,
    bool ExporterEnabled,
    string ExporterImage,
    string ExporterPublishImage,
    bool PrometheusEnabled,
    int? PrometheusHostPort,
    string PrometheusScrapeInterval)
{
    /// <summary>PostgreSQL major version the seed fixes (<c>postgres:15</c>).</summary>
    public const string PostgresImageTag = "15";

    /// <summary>Name of the volume holding the PostgreSQL data directory (<c>Postgres:DataVolume</c>; empty: none).</summary>
    public const string DefaultDataVolume = "agepar-postgres-data";

    /// <summary>Name of the volume that receives the daily backups (<c>Backup:Volume</c>; empty: none, backups die with the container).</summary>
    public const string DefaultBackupVolume = "agepar-backups";

    /// <summary>Name of the volume holding Azurite's blobs in run mode (<c>Backup:Storage:Volume</c>; empty: none).</summary>
    public const string DefaultBackupStorageVolume = "agepar-backup-storage";

    /// <summary>Redis major version.</summary>
    public const string RedisImageTag = "7";

    public static AppHostSettings From(IConfiguration config) => new(
        ContainerRegistry: NullIfEmpty(config["Containers:Registry"]),
        PgAdminEnabled: config.GetValue("PgAdmin:Enabled", true),
        PostgresHostPort: HostPort(config, "Postgres:HostPort", 5432),
        PostgresDataVolume: config["Postgres:DataVolume"] is { } volume ? NullIfEmpty(volume) : DefaultDataVolume,
        BffHostPort: HostPort(config, "Bff:HostPort", 5080),
        BffEnvironment: config.GetSection("Bff:Environment").GetChildren()
            .Where(c => c.Value is not null)
            .ToDictionary(c => c.Key, c => c.Value!),
        BackupEnabled: config.GetValue("Backup:Enabled", true),
        BackupVolume: config["Backup:Volume"] is { } backupVolume ? NullIfEmpty(backupVolume) : DefaultBackupVolume,
        BackupAt: BackupTime(config),
        BackupRetentionDays: config.GetValue("Backup:RetentionDays", 30) is var days and >= 1 and <= 3650
            ? days
            : throw new InvalidOperationException("Backup:RetentionDays must be between 1 and 3650."),
        BackupImage: config["Backup:Image"] is { Length: > 0 } backupImage ? backupImage.Trim() : null,
        BackupStorageEnabled: config.GetValue("Backup:Storage:Enabled", true),
        BackupStorageImage: Image(config, "Backup:Storage:Image", "agepar.local/library/azurite:3.37"),
        BackupStorageVolume: config["Backup:Storage:Volume"] is { } storageVolume ? NullIfEmpty(storageVolume) : DefaultBackupStorageVolume,
        BackupStorageContainer: config["Backup:Storage:Container"] is { Length: > 0 } blobContainer
            && System.Text.RegularExpressions.Regex.IsMatch(blobContainer.Trim(), "^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")
                ? blobContainer.Trim()
                : config["Backup:Storage:Container"] is { Length: > 0 } badContainer
                    ? throw new InvalidOperationException($"Backup:Storage:Container must be a blob container name (3-63 lowercase letters, digits, single hyphens); got '{badContainer}'.")
                    : "agepar-backups",
        ReadReplica: Enum.TryParse<ReadReplicaMode>(config["Bff:ReadReplica"] is { Length: > 0 } mode ? mode : nameof(ReadReplicaMode.None), ignoreCase: true, out var replica)
            ? replica
            : throw new InvalidOperationException($"Bff:ReadReplica must be None, Simulated, External or Streaming; got '{config["Bff:ReadReplica"]}'."),
        PgBouncerEnabled: config.GetValue("PgBouncer:Enabled", false),
        PgBouncerImage: config["PgBouncer:Image"] is { Length: > 0 } pgbouncerImage ? pgbouncerImage.Trim() : "agepar.local/library/pgbouncer:1.18",
        ExporterEnabled: config.GetValue("Monitoring:Exporter:Enabled", true),
        ExporterImage: Image(config, "Monitoring:Exporter:Image", "agepar.local/library/postgres-exporter:0.11"),
        ExporterPublishImage: Image(config, "Monitoring:Exporter:PublishImage", "quay.io/prometheuscommunity/postgres-exporter:v0.15.0"),
        PrometheusEnabled: config.GetValue("Monitoring:Prometheus:Enabled", true),
        PrometheusHostPort: HostPort(config, "Monitoring:Prometheus:HostPort", 9090),
        PrometheusScrapeInterval: config["Monitoring:Prometheus:ScrapeInterval"] is { Length: > 0 } interval
            && System.Text.RegularExpressions.Regex.IsMatch(interval.Trim(), "^[0-9]{1,4}(ms|s|m)$")
                ? interval.Trim()
                : config["Monitoring:Prometheus:ScrapeInterval"] is { Length: > 0 } bad
                    ? throw new InvalidOperationException($"Monitoring:Prometheus:ScrapeInterval must be a Prometheus duration such as 15s; got '{bad}'.")
                    : "15s");

    private static string Image(IConfiguration config, string key, string fallback) =>
        config[key] is { Length: > 0 } image ? image.Trim() : fallback;

    /// <summary>Daily backup time, UTC, HH:MM (<c>Backup:At</c>, default 02:00).</summary>
    private static string BackupTime(IConfiguration config)
    {
        var value = config["Backup:At"] is { Length: > 0 } at ? at.Trim() : "02:00";
        return TimeOnly.TryParseExact(value, "HH:mm", out _)
            ? value
            : throw new InvalidOperationException($"Backup:At must be a UTC time as HH:MM (e.g. 02:00); got '{value}'.");
    }

    /// <summary>A fixed host port, or null (0 in configuration) for "let the orchestrator pick a free one".</summary>
    private static int? HostPort(IConfiguration config, string key, int fallback)
    {
        var port = config.GetValue(key, fallback);
        return port switch
        {
            0 => null,
            > 0 and <= 65535 => port,
            _ => throw new InvalidOperationException($"{key} must be a TCP port (1-65535) or 0 for a random one; got {port}."),
        };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().TrimEnd('/');
}

/// <summary>Where the BFF's control panel reads (<c>Bff:ReadReplica</c>).</summary>
internal enum ReadReplicaMode
{
    /// <summary>No replica: the panel reads from the primary.</summary>
    None,

    /// <summary>Run mode: the primary through a read-only session, so the replica path is exercised without a standby.</summary>
    Simulated,

    /// <summary>A real replica: the connection string comes from the <c>agepar-replica</c> parameter (azd asks for it).</summary>
    External,

    /// <summary>Run mode: a real hot standby container kept by streaming replication (<c>postgres-replica</c>).</summary>
    Streaming,
}
