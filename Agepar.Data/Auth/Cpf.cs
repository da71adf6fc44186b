namespace Agepar.Data.Auth;

/// <summary>
/// Brazilian CPF: 11 digits, the last two being check digits. Shared by the BFF (login, users) and the migration
/// service's importer, so both apply one rule.
/// </summary>
public static class Cpf
{
    /// <summary>
    /// The 11 digits of <paramref name="value"/> when it is a CPF written as <c>12345678901</c> or
    /// <c>123.456.789-01</c>; otherwise null. Check digits are not validated here (see <see cref="IsValid"/>).
    /// </summary>
    public static string? Normalize(string? value)
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

        // Formatted: 000.000.000-00
        if (trimmed.Length == 14 && trimmed[3] == '.' && trimmed[7] == '.' && trimmed[11] == '-')
        {
            var digits = string.Concat(trimmed[..3], trimmed[4..7], trimmed[8..11], trimmed[12..]);
            return digits.All(char.IsAsciiDigit) ? digits : null;
        }

        return null;
    }

    /// <summary>True for 11 digits with correct check digits that are not all the same digit.</summary>
    public static bool IsValid(string? digits)
    {
        if (digits is not { Length: 11 } || !digits.All(char.IsAsciiDigit) || digits.Distinct().Count() == 1)
        {
            return false;
        }

        return CheckDigit(digits.AsSpan(0, 9)) == digits[9] - '0' && CheckDigit(digits.AsSpan(0, 10)) == digits[10] - '0';
    }

    /// <summary>The check digit following <paramref name="digits"/> (9 or 10 digits).</summary>
    public static int CheckDigit(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            sum += (digits[i] - '0') * (digits.Length + 1 - i);
        }

        var rest = sum % 11;
        return rest < 2 ? 0 : 11 - rest;
    }

    /// <summary><c>123.456.789-01</c>.</summary>
    public static string Format(string digits) => $"{digits[..3]}.{digits[3..6]}.{digits[6..9]}-{digits[9..]}";
}
