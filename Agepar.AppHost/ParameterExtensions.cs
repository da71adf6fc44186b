using Aspire.Hosting.ApplicationModel;

namespace Agepar.AppHost;

internal static class ParameterExtensions
{
    /// <summary>
    /// A non-secret parameter whose value comes from <c>Parameters:{name}</c> when configured and falls back to
    /// <paramref name="defaultValue"/> (Aspire's <c>AddParameter(name, value)</c> would ignore configuration).
    /// <paramref name="publishDefault"/>: whether the manifest carries the default, or leaves the choice to the deployment.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddParameterWithDefault(
        this IDistributedApplicationBuilder builder, string name, string defaultValue, bool publishDefault) =>
        builder.AddParameter(
            name,
            () => builder.Configuration[$"Parameters:{name}"] is { Length: > 0 } configured ? configured : defaultValue,
            publishValueAsDefault: publishDefault);
}
