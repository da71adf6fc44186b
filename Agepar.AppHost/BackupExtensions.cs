using Aspire.Hosting.ApplicationModel;

namespace Agepar.AppHost;

internal static class BackupExtensions
{
    /// <summary>Where the backup job writes inside its container (the volume's mount point).</summary>
    public const string BackupDirectory = "/backups";

    /// <summary>
    /// The daily backup job: a container of the same PostgreSQL 15 image as the database (so <c>pg_dump</c> matches the
    /// server) running <c>Backup/agepar-backup.sh</c> as the read-only <c>agepar_backup</c> (member of <c>pg_read_all_data</c>),
    /// never the owner or the superuser. It writes
    /// <c>pg_dump</c> custom-format files with a checksum and exact row counts to a volume, restore-checks each new backup
    /// in a scratch server and deletes backups past the retention. It starts once the migrations completed (the role
    /// exists then) and backs up at once when no backup is younger than a day.
    /// </summary>
    public static IResourceBuilder<ContainerResource>? AddAgeparBackup(
        this IDistributedApplicationBuilder builder, AppHostSettings settings, DatabaseAccess access, IResourceBuilder<ProjectResource> migrations)
    {
        if (!settings.BackupEnabled)
        {
            return null;
        }

        var script = File.ReadAllText(Path.Combine(builder.AppHostDirectory, "Backup", "agepar-backup.sh"));
        var backup = builder.AddContainer("backup", "library/postgres", AppHostSettings.PostgresImageTag)
            .WithImageRegistry(settings.ContainerRegistry ?? "docker.io")
            .WithEntrypoint("bash")
            .WithArgs("-c", "exec bash -c \"$AGEPAR_BACKUP_SCRIPT\" agepar-backup daemon")
            .WithEnvironment("AGEPAR_BACKUP_SCRIPT", script)
            .WithEnvironment("AGEPAR_DB", access.Backup.Resource.ConnectionStringExpression)
            .WithEnvironment("BACKUP_DIR", BackupDirectory)
            .WithEnvironment("BACKUP_AT", settings.BackupAt)
            .WithEnvironment("BACKUP_RETENTION_DAYS", settings.BackupRetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("BACKUP_VERIFY", "true")
            .WaitForCompletion(migrations);

        // Deployments always keep backups on a volume (azd maps it to an Azure Files share); locally it can be renamed
        // or switched off (tests use a throwaway one).
        var volume = builder.ExecutionContext.IsPublishMode ? AppHostSettings.DefaultBackupVolume : settings.BackupVolume;
        if (volume is not null)
        {
            backup.WithVolume(volume, BackupDirectory);
        }

        return backup;
    }
}
