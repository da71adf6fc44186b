using Aspire.Hosting.ApplicationModel;

namespace Agepar.AppHost;

/// <summary>
/// The CPF keys (docs/schema.md, "Encrypted CPFs"): <c>data-encryption-key</c> (AES-256-GCM, rotated with
/// <c>rotate-data-key</c>) and <c>data-index-key</c> (the blind index), secret parameters generated and kept in user
/// secrets in run mode and asked by azd at deployment. Never in the database, the manifest or git. During a rotation
/// <c>data-encryption-key-previous</c> holds the old key; it exists only when configured, so a normal deployment is
/// not asked for it.
/// </summary>
internal sealed record PersonalDataKeys(
    IResourceBuilder<ParameterResource> EncryptionKey,
    IResourceBuilder<ParameterResource>? PreviousEncryptionKey,
    IResourceBuilder<ParameterResource> IndexKey);

internal static class PersonalDataKeysExtensions
{
    public const string PreviousKeyParameter = "data-encryption-key-previous";

    public static PersonalDataKeys AddPersonalDataKeys(this IDistributedApplicationBuilder builder) => new(
        builder.AddParameter("data-encryption-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true),
        builder.Configuration[$"Parameters:{PreviousKeyParameter}"] is { Length: > 0 }
            ? builder.AddParameter(PreviousKeyParameter, secret: true)
            : null,
        builder.AddParameter("data-index-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true));

    /// <summary>The keys as <c>PersonalData__*</c> (the BFF and the migration service, whose importer writes CPFs too).</summary>
    public static IResourceBuilder<ProjectResource> WithPersonalDataKeys(this IResourceBuilder<ProjectResource> project, PersonalDataKeys keys)
    {
        project
            .WithEnvironment("PersonalData__EncryptionKey", keys.EncryptionKey)
            .WithEnvironment("PersonalData__IndexKey", keys.IndexKey);
        return keys.PreviousEncryptionKey is { } previous ? project.WithEnvironment("PersonalData__PreviousEncryptionKey", previous) : project;
    }
}
