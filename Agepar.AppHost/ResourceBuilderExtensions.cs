using Aspire.Hosting.ApplicationModel;

namespace Agepar.AppHost;

internal static class ResourceBuilderExtensions
{
    /// <summary>
    /// PostgreSQL 15 with explicit superuser parameters, pg_stat_statements preloaded, a persistent volume in run mode,
    /// a configurable host port and (run mode only, switchable) pgAdmin.
    /// </summary>
    public static IResourceBuilder<PostgresServerResource> AddAgeparPostgres(
        this IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        var user = builder.AddParameterWithDefault("postgres-user", "postgres", publishDefault: true);
        var password = builder.AddParameter(
            "postgres-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);

        var postgres = builder.AddPostgres("postgres", user, password, port: settings.PostgresHostPort)
            .WithImageTag(AppHostSettings.PostgresImageTag)
            .WithAgeparRegistry(settings)
            .WithArgs(
                "-c", "shared_preload_libraries=pg_stat_statements",
                "-c", "pg_stat_statements.track=all");

        // Deployments always persist; locally the volume can be renamed or switched off (tests use a throwaway one).
        if (builder.ExecutionContext.IsPublishMode || settings.PostgresDataVolume is not null)
        {
            postgres.WithDataVolume(builder.ExecutionContext.IsPublishMode ? AppHostSettings.DefaultDataVolume : settings.PostgresDataVolume);
        }

        if (builder.ExecutionContext.IsRunMode && settings.PgAdminEnabled)
        {
            postgres.WithPgAdmin(pgAdmin => pgAdmin.WithAgeparRegistry(settings));
        }

        return postgres;
    }

    /// <summary>Pulls the image from the configured mirror (<c>Containers:Registry</c>) instead of docker.io.</summary>
    public static IResourceBuilder<T> WithAgeparRegistry<T>(this IResourceBuilder<T> resource, AppHostSettings settings)
        where T : ContainerResource =>
        settings.ContainerRegistry is { } registry ? resource.WithImageRegistry(registry) : resource;

    /// <summary>
    /// Run mode: pins the project's http endpoint to a host port (null: a free one, as tests need).
    /// Publish mode: left to the deployment target's ingress.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAgeparHostPort(
        this IResourceBuilder<ProjectResource> project, IDistributedApplicationBuilder builder, int? port) =>
        builder.ExecutionContext.IsRunMode ? project.WithEndpoint("http", endpoint => endpoint.Port = port) : project;

    /// <summary>
    /// Run mode: extra environment variables for a service from <c>Bff:Environment:KEY=value</c> (tests use it to
    /// switch on test-only automations; a developer can use it to try a BFF setting without editing files).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithExtraEnvironment(
        this IResourceBuilder<ProjectResource> project, IDistributedApplicationBuilder builder, IReadOnlyDictionary<string, string> environment)
    {
        if (builder.ExecutionContext.IsRunMode)
        {
            foreach (var (key, value) in environment)
            {
                project.WithEnvironment(key, value);
            }
        }

        return project;
    }
}
