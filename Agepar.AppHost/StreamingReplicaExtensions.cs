using Aspire.Hosting.ApplicationModel;

namespace Agepar.AppHost;

internal static class StreamingReplicaExtensions
{
    /// <summary>
    /// Run mode with <c>Bff:ReadReplica=Streaming</c>: <c>postgres-replica</c>, a hot standby from the same PostgreSQL
    /// image, cloned with <c>pg_basebackup</c> through <c>agepar_replicator</c> (LOGIN REPLICATION, password: the secret
    /// parameter <c>agepar-replication-password</c>) and kept by streaming replication over a physical slot
    /// (Replica/agepar-replica.sh). Null in every other mode; deployments use a managed replica (<c>External</c>).
    /// </summary>
    public static IResourceBuilder<ContainerResource>? AddAgeparStreamingReplica(
        this IDistributedApplicationBuilder builder, AppHostSettings settings, IResourceBuilder<PostgresServerResource> postgres,
        IResourceBuilder<ProjectResource> migrations)
    {
        if (!builder.ExecutionContext.IsRunMode || settings.ReadReplica != ReadReplicaMode.Streaming)
        {
            return null;
        }

        var password = builder.AddParameter(
            "agepar-replication-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
        migrations.WithEnvironment("Provisioning__ReplicationPassword", password);
        // pg_hba.conf's "all" does not admit replication connections: one line more, written when the data directory is created.
        postgres.WithBindMount(
            Path.Combine(builder.AppHostDirectory, "Replica", "10-agepar-replication.sh"), "/docker-entrypoint-initdb.d/10-agepar-replication.sh", isReadOnly: true);

        var primary = postgres.Resource.PrimaryEndpoint;
        return builder.AddContainer("postgres-replica", "library/postgres", AppHostSettings.PostgresImageTag)
            .WithImageRegistry(settings.ContainerRegistry ?? "docker.io")
            .WithEntrypoint("bash")
            .WithArgs("-c", "exec bash -c \"$AGEPAR_REPLICA_SCRIPT\" agepar-replica")
            .WithEnvironment("AGEPAR_REPLICA_SCRIPT", File.ReadAllText(Path.Combine(builder.AppHostDirectory, "Replica", "agepar-replica.sh")))
            .WithEnvironment("PRIMARY_HOST", primary.Property(EndpointProperty.Host))
            .WithEnvironment("PRIMARY_PORT", primary.Property(EndpointProperty.Port))
            .WithEnvironment("REPLICATION_USER", "agepar_replicator") // DatabaseObjects.ReplicationRole, created by provisioning
            .WithEnvironment("REPLICATION_PASSWORD", password)
            .WithEndpoint(targetPort: 5432, name: "tcp", scheme: "tcp")
            .WaitForCompletion(migrations); // the replication role exists once provisioning ran
    }
}
