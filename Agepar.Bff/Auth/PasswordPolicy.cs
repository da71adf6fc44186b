using System.Reflection;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Auth;

/// <summary>
/// The password rules, applied to every password a person chooses and every password an administrator sets: length,
/// at least one letter and one digit, enough distinct characters, not containing the user's e-mail, CPF or name, and
/// not a common password.
/// </summary>
public sealed class PasswordPolicy(IOptions<PasswordPolicyOptions> options)
{
    private const int MaxAddedCharacters = 6;

    private static readonly Lazy<HashSet<string>> Common = new(LoadCommonPasswords);

    /// <summary>The rules <paramref name="password"/> breaks (empty when it is acceptable), in Portuguese for the UI.</summary>
    public IReadOnlyList<string> Validate(string password, string? email, string? cpf, string? name)
    {
        var o = options.Value;
        var errors = new List<string>();
        if (password.Length < o.MinLength)
        {
            errors.Add($"A senha deve ter pelo menos {o.MinLength} caracteres.");
        }

        if (password.Length > o.MaxLength)
        {
            errors.Add($"A senha deve ter no máximo {o.MaxLength} caracteres.");
        }

        if (!password.Any(char.IsLetter))
        {
            errors.Add("A senha deve conter pelo menos uma letra.");
        }

        if (!password.Any(char.IsDigit))
        {
            errors.Add("A senha deve conter pelo menos um dígito.");
        }

        if (password.Distinct().Count() < o.MinDistinctCharacters)
        {
            errors.Add($"A senha deve ter pelo menos {o.MinDistinctCharacters} caracteres diferentes.");
        }

        if (ContainsPersonalData(password, email, cpf, name))
        {
            errors.Add("A senha não pode conter o e-mail, o CPF ou o nome do usuário.");
        }

        if (IsCommon(password))
        {
            errors.Add("A senha é muito comum.");
        }

        return errors;
    }

    public static bool IsCommon(string password)
    {
        var lower = password.ToLowerInvariant();
        if (Common.Value.Contains(lower))
        {
            return true;
        }

        var letters = new string(lower.Where(char.IsLetter).ToArray());
        return letters.Length > 0 && lower.Length - letters.Length <= MaxAddedCharacters && Common.Value.Contains(letters);
    }

    private static bool ContainsPersonalData(string password, string? email, string? cpf, string? name)
    {
        var lower = password.ToLowerInvariant();
        var digits = new string(password.Where(char.IsAsciiDigit).ToArray());
        if (!string.IsNullOrEmpty(cpf) && (digits.Contains(cpf, StringComparison.Ordinal) || lower.Contains(cpf, StringComparison.Ordinal)))
        {
            return true;
        }

        var fragments = new List<string>();
        if (!string.IsNullOrWhiteSpace(email))
        {
            fragments.Add(email.Trim().ToLowerInvariant());
            fragments.AddRange(email.Split('@')[0].Split('.', '_', '-', '+'));
        }

        if (!string.IsNullOrWhiteSpace(name))
        {
            fragments.AddRange(name.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        return fragments.Select(f => f.Trim().ToLowerInvariant()).Where(f => f.Length >= 3)
            .Any(f => lower.Contains(f, StringComparison.Ordinal));
    }

    private static HashSet<string> LoadCommonPasswords()
    {
        var assembly = Assembly.GetExecutingAssembly();
        using var stream = assembly.GetManifestResourceStream("Agepar.Bff.Auth.common-passwords.txt")
                           ?? throw new InvalidOperationException("common-passwords.txt is not embedded.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                set.Add(line.ToLowerInvariant());
            }
        }

        return set;
    }
}
