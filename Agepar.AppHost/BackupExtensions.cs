using Aspire.Hosting.ApplicationModel;

namespace Agepar.AppHost;

internal static class BackupExtensions
{
    /// <summary>Where the backup job writes inside its container (the volume's mount point).</summary>
    public const string BackupDirectory = "/backups";

    /// <summary>Where agepar-blob (Agepar.BackupTool, self-contained linux-x64) lives in the backup container.</summary>
    public const string ToolDirectory = "/opt/agepar/backup-tool";

    /// <summary>Port of the job's outcome metrics (agepar_backup_*) inside the backup container.</summary>
    public const int MetricsPort = 9188;

    /// <summary>Azurite's account in run mode (its key is the generated <c>backup-storage-key</c> parameter).</summary>
    public const string AzuriteAccount = "agepar";

    /// <summary>
    /// Where the encrypted backups go, and the key that encrypts them. Run mode: an Azurite container
    /// (<c>azurite</c>, the npm package built into an image by eng/, blob service only, data on a volume) under a
    /// generated account key, or nothing when <c>Backup:Storage:Enabled</c> is false or no backup image with gnupg
    /// exists (<c>Backup:Image</c>). Deployments: the <c>backup-storage</c> connection string (an Azure Storage
    /// account) and the <c>backup-encryption-key</c>, both secret parameters azd asks for.
    /// </summary>
    public static BackupStorage? AddAgeparBackupStorage(this IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        if (!settings.BackupEnabled)
        {
            return null;
        }

        if (builder.ExecutionContext.IsPublishMode)
        {
            // Asked, never generated, in deployments: whoever deploys must keep a copy of the key outside the
            // environment, or the backups die with it.
            return new BackupStorage(
                null,
                builder.AddConnectionString("backup-storage"),
                builder.AddParameter("backup-encryption-key", secret: true));
        }

        if (!settings.BackupStorageEnabled || settings.BackupImage is null)
        {
            return null;
        }

        var encryptionKey = builder.AddParameter(
            "backup-encryption-key", new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true, persist: true);
        // Azurite takes custom accounts as name:base64-key; 44 letters and digits are valid base64 (33 bytes).
        var accountKey = builder.AddParameter(
            "backup-storage-key", new GenerateParameterDefault { MinLength = 44, Special = false }, secret: true, persist: true);
        var image = ContainerImageReference.Parse(settings.BackupStorageImage, "Backup:Storage:Image");
        var azurite = builder.AddContainer("azurite", image.Image, image.Tag)
            .WithImageRegistry(image.Registry)
            .WithEnvironment("AZURITE_ACCOUNTS", ReferenceExpression.Create($"{AzuriteAccount}:{accountKey}"))
            // The account is the first path segment (as in the connection string below), never guessed from the host
            // name: on the container network that is "azurite.…", which Azurite would take for an account name.
            .WithArgs("--disableProductStyleUrl")
            .WithHttpEndpoint(targetPort: 10000, name: "blob");
        if (settings.BackupStorageVolume is not null)
        {
            azurite.WithVolume(settings.BackupStorageVolume, "/data");
        }

        var blob = azurite.GetEndpoint("blob");
        var connection = builder.AddConnectionString("backup-storage", ReferenceExpression.Create(
            $"DefaultEndpointsProtocol=http;AccountName={AzuriteAccount};AccountKey={accountKey};" +
            $"BlobEndpoint=http://{blob.Property(EndpointProperty.Host)}:{blob.Property(EndpointProperty.Port)}/{AzuriteAccount};"));
        return new BackupStorage(azurite, connection, encryptionKey);
    }

    /// <summary>
    /// The daily backup job running <c>Backup/agepar-backup.sh</c> as the read-only <c>agepar_backup</c> (member of
    /// <c>pg_read_all_data</c>), never the owner or the superuser. It writes <c>pg_dump</c> custom-format files with a
    /// checksum and exact row counts to a volume, restore-checks each new backup in a scratch server, then (with
    /// <paramref name="storage"/>) encrypts it with gpg and uploads it to the blob container, verified by reading it
    /// back, and applies the retention to the volume and the container. It serves its outcome at :9188/metrics.
    /// Run mode: the image eng/ builds (PostgreSQL 15 + gnupg; <c>Backup:Image</c>) with agepar-blob mounted from the
    /// AppHost's build; deployments: Backup/Dockerfile (postgres:15 + gnupg + agepar-blob), built by azd.
    /// </summary>
    public static IResourceBuilder<ContainerResource>? AddAgeparBackup(
        this IDistributedApplicationBuilder builder, AppHostSettings settings, DatabaseAccess access, BackupStorage? storage,
        IResourceBuilder<ProjectResource> migrations)
    {
        if (!settings.BackupEnabled)
        {
            return null;
        }

        var script = File.ReadAllText(Path.Combine(builder.AppHostDirectory, "Backup", "agepar-backup.sh"));
        IResourceBuilder<ContainerResource> backup;
        if (builder.ExecutionContext.IsPublishMode)
        {
            backup = builder.AddDockerfile("backup", "..", "Agepar.AppHost/Backup/Dockerfile");
        }
        else
        {
            var image = settings.BackupImage is { } configured
                ? ContainerImageReference.Parse(configured, "Backup:Image")
                : new ContainerImageReference(settings.ContainerRegistry ?? "docker.io", "library/postgres", AppHostSettings.PostgresImageTag);
            // The AppHost's build publishes agepar-blob here (Agepar.AppHost.csproj, target PublishBackupTool).
            var tool = Path.Combine(builder.AppHostDirectory, "obj", "backup-tool");
            if (!File.Exists(Path.Combine(tool, "agepar-blob")))
            {
                throw new InvalidOperationException($"{tool}/agepar-blob is missing: build the AppHost (dotnet build Agepar.sln) first.");
            }

            backup = builder.AddContainer("backup", image.Image, image.Tag)
                .WithImageRegistry(image.Registry)
                .WithBindMount(tool, ToolDirectory, isReadOnly: true);
        }

        backup.WithEntrypoint("bash")
            .WithArgs("-c", "exec bash -c \"$AGEPAR_BACKUP_SCRIPT\" agepar-backup daemon")
            .WithEnvironment("AGEPAR_BACKUP_SCRIPT", script)
            .WithEnvironment("AGEPAR_DB", access.Backup.Resource.ConnectionStringExpression)
            .WithEnvironment("BACKUP_DIR", BackupDirectory)
            .WithEnvironment("BACKUP_AT", settings.BackupAt)
            .WithEnvironment("BACKUP_RETENTION_DAYS", settings.BackupRetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("BACKUP_VERIFY", "true")
            .WithEnvironment("BACKUP_METRICS_PORT", MetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithHttpEndpoint(targetPort: MetricsPort, name: "metrics")
            .WaitForCompletion(migrations);
        if (storage is not null)
        {
            backup.WithEnvironment("BACKUP_STORAGE", storage.ConnectionString.Resource.ConnectionStringExpression)
                .WithEnvironment("BACKUP_CONTAINER", settings.BackupStorageContainer)
                .WithEnvironment("BACKUP_ENCRYPTION_KEY", storage.EncryptionKey);
            if (storage.Azurite is not null)
            {
                backup.WaitFor(storage.Azurite);
            }
        }

        // Deployments always keep backups on a volume too (azd maps it to an Azure Files share): the local copy is the
        // fast restore, the blob container the off-site one. Locally it can be renamed or switched off.
        var volume = builder.ExecutionContext.IsPublishMode ? AppHostSettings.DefaultBackupVolume : settings.BackupVolume;
        if (volume is not null)
        {
            backup.WithVolume(volume, BackupDirectory);
        }

        return backup;
    }
}

/// <summary>The off-site destination of the backups: Azurite in run mode (null in deployments), its connection string, the key.</summary>
internal sealed record BackupStorage(
    IResourceBuilder<ContainerResource>? Azurite,
    IResourceBuilder<IResourceWithConnectionString> ConnectionString,
    IResourceBuilder<ParameterResource> EncryptionKey);
