using Aspire.Hosting.ApplicationModel;

namespace Agepar.AppHost;

/// <summary>
/// The first administrator: the BFF creates this account at startup when no user has the e-mail, and never changes
/// an existing one. The password is a secret parameter (generated and kept in user secrets locally); it is never in
/// code or in the manifest, and the account must change it at first login.
/// </summary>
internal sealed record BootstrapAdmin(IResourceBuilder<ParameterResource> Email, IResourceBuilder<ParameterResource> Password);

internal static class BootstrapAdminExtensions
{
    public static BootstrapAdmin AddBootstrapAdmin(this IDistributedApplicationBuilder builder) => new(
        builder.AddParameterWithDefault("bootstrap-admin-email", "admin@agepar.local", publishDefault: false),
        builder.AddParameter(
            "bootstrap-admin-password",
            new GenerateParameterDefault { MinLength = 20, Special = false, MinLower = 2, MinUpper = 2, MinNumeric = 2 },
            secret: true,
            persist: true));

    public static IResourceBuilder<ProjectResource> WithBootstrapAdmin(this IResourceBuilder<ProjectResource> project, BootstrapAdmin admin) =>
        project
            .WithEnvironment("Bootstrap__AdminEmail", admin.Email)
            .WithEnvironment("Bootstrap__AdminPassword", admin.Password);
}
