using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using Agepar.Data.Auth;

namespace Agepar.MigrationService.Import;

/// <summary>
/// CPF and e-mail normalisation for imported rows. CPFs use the shared <see cref="Cpf"/> rules (Agepar.Data); the
/// e-mail rule is a copy of <c>Agepar.Bff.Users.UserValidation.NormalizeEmail</c> (the migration service does not
/// reference the BFF; keep them in step): trimmed, lower-cased, at most 254 characters, a plain address whose host
/// has a dot.
/// </summary>
internal static class LegacyIdentity
{
    public const int MaxEmailLength = 254;

    /// <summary>The valid CPF's digits, or null when absent or invalid.</summary>
    public static string? ValidCpfOrNull(string? value) => Cpf.Normalize(value) is { } digits && Cpf.IsValid(digits) ? digits : null;

    /// <summary>The lower-cased address, or null when it is not one the BFF would accept.</summary>
    public static string? NormalizeEmail(string? email)
    {
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxEmailLength || trimmed.Any(char.IsWhiteSpace)
            || !MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed || !parsed.Host.Contains('.'))
        {
            return null;
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>
    /// A stable id for an old TEXT id that is not a UUID: the first 16 bytes of SHA-256("agepar-import:{scope}:{id}"),
    /// stamped as version 8 (custom) / RFC 9562 variant. The same old id always gives the same new id, so a re-run
    /// finds the row it imported.
    /// </summary>
    public static Guid DerivedId(string scope, string oldId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"agepar-import:{scope}:{oldId}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

}
