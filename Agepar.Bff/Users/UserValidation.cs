using System.Net.Mail;
using Agepar.Bff.Auth;
using Agepar.Bff.Infrastructure;
using Agepar.Data.Auth;

namespace Agepar.Bff.Users;

/// <summary>Field rules for user data entered by administrators.</summary>
internal static class UserValidation
{
    public const int MaxNameLength = 200;
    public const int MaxEmailLength = 254;
    public const int MaxRoleNameLength = 100;

    public static string? NormalizeEmail(string? email, Dictionary<string, string[]> errors)
    {
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxEmailLength || trimmed.Any(char.IsWhiteSpace)
            || TextRules.Check(trimmed, multiline: false) is not null
            || !MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed || !parsed.Host.Contains('.'))
        {
            errors["email"] = ["E-mail inválido."];
            return null;
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>
    /// False (and an error on <c>roles</c>) when a requested role name cannot be one at all: NUL or other control
    /// characters, broken Unicode, over 100 characters. Checked before the names reach a query, where PostgreSQL
    /// would refuse the NUL with a 500.
    /// </summary>
    public static bool CheckRoleNames(IEnumerable<string?> roles, Dictionary<string, string[]> errors)
    {
        if (roles.Any(r => r is null || r.Length > MaxRoleNameLength || TextRules.Check(r, multiline: false) is not null))
        {
            errors["roles"] = ["Nomes de papéis inválidos (texto de até 100 caracteres, sem caracteres de controle)."];
            return false;
        }

        return true;
    }

    public static string? NormalizeName(string? name, Dictionary<string, string[]> errors)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length < 2 || trimmed.Length > MaxNameLength
            || TextRules.Check(trimmed, multiline: false) is not null)
        {
            errors["name"] = [$"Informe o nome (2 a {MaxNameLength} caracteres, sem caracteres de controle)."];
            return null;
        }

        return trimmed;
    }

    /// <summary>The CPF's 11 digits; null when absent. Invalid check digits are an error.</summary>
    public static string? NormalizeCpf(string? cpf, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(cpf))
        {
            return null;
        }

        var digits = Cpf.Normalize(cpf);
        if (!Cpf.IsValid(digits))
        {
            errors["cpf"] = ["CPF inválido."];
            return null;
        }

        return digits;
    }
}
