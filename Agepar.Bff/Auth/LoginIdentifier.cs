using Agepar.Data.Auth;

namespace Agepar.Bff.Auth;

/// <summary>What the user typed to sign in, normalized: a lower-case e-mail or an 11-digit CPF.</summary>
public sealed record LoginIdentifier(string Value, bool IsCpf)
{
    /// <summary>An identifier is a CPF when it is 11 digits, plain or formatted; anything else is an e-mail.</summary>
    public static LoginIdentifier Parse(string raw) =>
        Cpf.Normalize(raw) is { } cpf ? new LoginIdentifier(cpf, true) : new LoginIdentifier(raw.Trim().ToLowerInvariant(), false);
}
