using Microsoft.Extensions.Configuration;

namespace Agepar.Data.Protection;

/// <summary>
/// The CPF keys (<c>PersonalData:*</c>; the AppHost passes the secret parameters <c>data-encryption-key</c>,
/// <c>data-encryption-key-previous</c> and <c>data-index-key</c>). Read by the BFF, the migration service and its
/// importer; never stored in the database or in git.
/// </summary>
public sealed class PersonalDataOptions
{
    public const string SectionName = "PersonalData";

    /// <summary>Encrypts new CPFs; at least <see cref="CpfProtector.MinKeyLength"/> random characters.</summary>
    public string? EncryptionKey { get; set; }

    /// <summary>The key being rotated away from: still decrypts until <c>rotate-data-key</c> finished; then remove it.</summary>
    public string? PreviousEncryptionKey { get; set; }

    /// <summary>The blind index (HMAC) key. Changing it needs every index recomputed: it is not rotated.</summary>
    public string? IndexKey { get; set; }

    /// <summary>The protector for <paramref name="configuration"/>; a clear exception names the missing or short key.</summary>
    public static CpfProtector CreateProtector(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<PersonalDataOptions>() ?? new PersonalDataOptions();
        return options.CreateProtector();
    }

    /// <inheritdoc cref="CreateProtector(IConfiguration)"/>
    public CpfProtector CreateProtector()
    {
        try
        {
            return new CpfProtector(EncryptionKey!, PreviousEncryptionKey, IndexKey!);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException(
                $"{ex.Message} Set {SectionName}__EncryptionKey and {SectionName}__IndexKey (AppHost parameters data-encryption-key, data-index-key).", ex);
        }
    }
}
