namespace Agepar.MigrationService;

/// <summary>
/// Passwords of the login roles the provisioning step creates or updates (configuration section
/// <c>Provisioning</c>). Used only when <c>ConnectionStrings:agepar-provisioning</c> (a superuser or DBA account)
/// is configured; the AppHost passes them from its secret parameters.
/// </summary>
public sealed class ProvisioningOptions
{
    public const string SectionName = "Provisioning";

    /// <summary>Password of <c>agepar_admin</c> (owns the schema; runs migrations).</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Password of <c>agepar_user</c> (the BFF's DML-only role).</summary>
    public string? AppUserPassword { get; set; }

    /// <summary>Password of <c>agepar_monitor</c> (postgres_exporter's login, member of <c>pg_monitor</c>).</summary>
    public string? MonitorPassword { get; set; }

    /// <summary>
    /// Password of <c>agepar_replicator</c> (LOGIN REPLICATION, for the run-mode streaming replica's pg_basebackup and WAL
    /// stream). Optional: the role is created only when this is set.
    /// </summary>
    public string? ReplicationPassword { get; set; }

    /// <summary>Password of <c>agepar_backup</c> (the backup job's read-only role, member of <c>pg_read_all_data</c>).</summary>
    public string? BackupPassword { get; set; }
}
