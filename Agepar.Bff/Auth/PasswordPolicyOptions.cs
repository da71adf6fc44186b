using System.ComponentModel.DataAnnotations;

namespace Agepar.Bff.Auth;

/// <summary>Rules for every password a person chooses or an administrator sets (section <c>Auth:PasswordPolicy</c>).</summary>
public sealed class PasswordPolicyOptions
{
    public const string SectionName = "Auth:PasswordPolicy";

    [Range(8, 128)]
    public int MinLength { get; set; } = 8;

    [Range(8, 1024)]
    public int MaxLength { get; set; } = 128;

    [Range(1, 64)]
    public int MinDistinctCharacters { get; set; } = 4;
}
