using Aspire.Hosting.ApplicationModel;

namespace Agepar.AppHost;

/// <summary>
/// The three login roles of the Agepar database and their connection strings. The superuser never reaches a service
/// at runtime: the migration service gets it for provisioning only; the BFF gets <c>agepar_user</c>; the backup job
/// gets the read-only <c>agepar_backup</c>. <c>agepar_admin</c> (the login that may SET ROLE to the NOLOGIN schema owner
/// <c>agepar_owner</c>) goes to the one-shot migration service only, so no always-on component holds a credential that
/// can change audits or the schema.
/// </summary>
internal sealed record DatabaseAccess(
    IResourceBuilder<ParameterResource> AdminPassword,
    IResourceBuilder<ParameterResource> AppUserPassword,
    IResourceBuilder<ParameterResource> BackupPassword,
    IResourceBuilder<ConnectionStringResource> Admin,
    IResourceBuilder<ConnectionStringResource> App,
    IResourceBuilder<ConnectionStringResource> Backup);

internal static class DatabaseAccessExtensions
{
    public static DatabaseAccess AddAgeparDatabaseAccess(
        this IDistributedApplicationBuilder builder, IResourceBuilder<PostgresServerResource> postgres, IResourceBuilder<PostgresDatabaseResource> db)
    {
        var adminPassword = builder.AddParameter(
            "agepar-admin-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
        var appPassword = builder.AddParameter(
            "agepar-user-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
        var backupPassword = builder.AddParameter(
            "agepar-backup-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
        // TLS mode of every service connection. No default is published: a deployment must choose (Production refuses < Require).
        var sslMode = builder.AddParameterWithDefault("db-sslmode", "Prefer", publishDefault: false);

        var endpoint = postgres.Resource.PrimaryEndpoint;
        ReferenceExpression For(string role, IResourceBuilder<ParameterResource> password) => ReferenceExpression.Create(
            $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};" +
            $"Database={db.Resource.DatabaseName};Username={role};Password={password};SSL Mode={sslMode}");

        var admin = builder.AddConnectionString("agepar-admin", For("agepar_admin", adminPassword));
        var app = builder.AddConnectionString("agepar-app", For("agepar_user", appPassword));
        var backup = builder.AddConnectionString("agepar-backup", For("agepar_backup", backupPassword));
        return new DatabaseAccess(adminPassword, appPassword, backupPassword, admin, app, backup);
    }
}

internal static class ReadReplicaExtensions
{
    /// <summary>Gives the BFF <c>ConnectionStrings:agepar-replica</c> as <see cref="AppHostSettings.ReadReplica"/> says.</summary>
    public static IResourceBuilder<ProjectResource> WithAgeparReadReplica(
        this IResourceBuilder<ProjectResource> bff, IDistributedApplicationBuilder builder, AppHostSettings settings, DatabaseAccess access,
        IResourceBuilder<ContainerResource>? streamingReplica) =>
        settings.ReadReplica switch
        {
            ReadReplicaMode.Streaming when streamingReplica is not null => bff.WithEnvironment(
                "ConnectionStrings__agepar-replica",
                ReferenceExpression.Create(
                    $"Host={streamingReplica.GetEndpoint("tcp").Property(EndpointProperty.Host)};Port={streamingReplica.GetEndpoint("tcp").Property(EndpointProperty.Port)};" +
                    $"Database=agepar;Username=agepar_user;Password={access.AppUserPassword}"))
                .WaitFor(streamingReplica),
            ReadReplicaMode.Simulated => bff.WithEnvironment(
                "ConnectionStrings__agepar-replica",
                ReferenceExpression.Create($"{access.App.Resource.ConnectionStringExpression};Options=-c default_transaction_read_only=on")),
            ReadReplicaMode.External => bff.WithReference(builder.AddConnectionString("agepar-replica")),
            _ => bff,
        };
}
