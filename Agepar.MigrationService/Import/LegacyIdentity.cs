using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;

namespace Agepar.MigrationService.Import;

/// <summary>
/// CPF and e-mail normalisation for imported rows. The migration service does not reference the BFF, so these are
/// copies of <c>Agepar.Bff.Auth.Cpf.Normalize/IsValid</c> and <c>Agepar.Bff.Users.UserValidation.NormalizeEmail</c>
/// with the same rules (keep them in step): a CPF is 11 digits or <c>000.000.000-00</c> with valid check digits, not
/// all one digit; an e-mail is trimmed, lower-cased, at most 254 characters, a plain address whose host has a dot.
/// </summary>
internal static class LegacyIdentity
{
    public const int MaxEmailLength = 254;

    /// <summary>The 11 digits when the text is a CPF (formatted or not); null otherwise. Check digits not checked here.</summary>
    public static string? NormalizeCpf(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length == 11 && trimmed.All(char.IsAsciiDigit))
        {
            return trimmed;
        }

        if (trimmed.Length == 14 && trimmed[3] == '.' && trimmed[7] == '.' && trimmed[11] == '-')
        {
            var digits = string.Concat(trimmed[..3], trimmed[4..7], trimmed[8..11], trimmed[12..]);
            return digits.All(char.IsAsciiDigit) ? digits : null;
        }

        return null;
    }

    /// <summary>11 digits with correct check digits, not all the same digit.</summary>
    public static bool IsValidCpf(string? digits)
    {
        if (digits is not { Length: 11 } || !digits.All(char.IsAsciiDigit) || digits.Distinct().Count() == 1)
        {
            return false;
        }

        return CheckDigit(digits.AsSpan(0, 9)) == digits[9] - '0' && CheckDigit(digits.AsSpan(0, 10)) == digits[10] - '0';
    }

    /// <summary>The valid CPF's digits, or null when absent or invalid.</summary>
    public static string? ValidCpfOrNull(string? value) => NormalizeCpf(value) is { } digits && IsValidCpf(digits) ? digits : null;

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

    private static int CheckDigit(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            sum += (digits[i] - '0') * (digits.Length + 1 - i);
        }

        var rest = sum % 11;
        return rest < 2 ? 0 : 11 - rest;
    }
}
