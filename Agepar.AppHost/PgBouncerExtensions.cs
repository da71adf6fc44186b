using Aspire.Hosting.ApplicationModel;

namespace Agepar.AppHost;

internal static class PgBouncerExtensions
{
    /// <summary>
    /// Run mode with <c>PgBouncer:Enabled</c>: a pgBouncer container in transaction pooling mode in front of postgres,
    /// passing <c>agepar_user</c> through. Null otherwise: deployments connect directly, and a managed pgBouncer (e.g.
    /// Azure Database for PostgreSQL's) is configured there by connection string.
    /// </summary>
    public static IResourceBuilder<ContainerResource>? AddAgeparPgBouncer(
        this IDistributedApplicationBuilder builder, AppHostSettings settings, IResourceBuilder<PostgresServerResource> postgres,
        DatabaseAccess access, IResourceBuilder<ProjectResource> migrations)
    {
        if (!builder.ExecutionContext.IsRunMode || !settings.PgBouncerEnabled)
        {
            return null;
        }

        var image = ContainerImageReference.Parse(settings.PgBouncerImage, "PgBouncer:Image");
        var server = postgres.Resource.PrimaryEndpoint;
        return builder.AddContainer("pgbouncer", image.Image, image.Tag)
            .WithImageRegistry(image.Registry)
            .WithEnvironment("PGBOUNCER_DB_HOST", server.Property(EndpointProperty.Host))
            .WithEnvironment("PGBOUNCER_DB_PORT", server.Property(EndpointProperty.Port))
            .WithEnvironment("PGBOUNCER_DATABASE", "agepar")
            .WithEnvironment("PGBOUNCER_USER", "agepar_user")
            .WithEnvironment("PGBOUNCER_PASSWORD", access.AppUserPassword)
            .WithEndpoint(targetPort: 6432, name: "tcp", scheme: "tcp")
            .WaitForCompletion(migrations);
    }

    /// <summary>
    /// The BFF's application connection (<c>ConnectionStrings:agepar</c>, as <c>agepar_user</c>): straight to postgres,
    /// or through <paramref name="pgbouncer"/> with <c>Database__PgBouncer=true</c>, so Npgsql neither prepares
    /// statements nor resets sessions.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAgeparAppDatabase(
        this IResourceBuilder<ProjectResource> bff, IDistributedApplicationBuilder builder, DatabaseAccess access,
        IResourceBuilder<ContainerResource>? pgbouncer)
    {
        if (pgbouncer is null)
        {
            return bff.WithReference(access.App, connectionName: "agepar");
        }

        // The local hop to pgBouncer is plain TCP on the machine; pgBouncer → postgres uses TLS when offered.
        var endpoint = pgbouncer.GetEndpoint("tcp");
        var pooled = builder.AddConnectionString("agepar-pgbouncer", ReferenceExpression.Create(
            $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};" +
            $"Database=agepar;Username=agepar_user;Password={access.AppUserPassword};SSL Mode=Disable"));
        return bff.WithReference(pooled, connectionName: "agepar")
            .WithEnvironment("Database__PgBouncer", "true")
            .WaitFor(pgbouncer);
    }
}
