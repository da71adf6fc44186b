using Agepar.Data.Auth;
using Agepar.Data.Protection;

namespace Agepar.Bff.Auth;

/// <summary>
/// What the user typed to sign in, normalized: a lower-case e-mail or an 11-digit CPF. A CPF is looked up and stored
/// only through its blind index (<paramref name="CpfHmac"/>): <see cref="Stored"/> is what <c>login_attempts</c> and
/// the <c>auth.login_failed</c> audit keep, never the clear CPF.
/// </summary>
public sealed record LoginIdentifier(string Value, bool IsCpf, byte[]? CpfHmac = null)
{
    /// <summary>An identifier is a CPF when it is 11 digits, plain or formatted; anything else is an e-mail.</summary>
    public static LoginIdentifier Parse(string raw, CpfProtector protector) =>
        Cpf.Normalize(raw) is { } cpf
            ? new LoginIdentifier(cpf, true, protector.Hmac(cpf))
            : new LoginIdentifier(raw.Trim().ToLowerInvariant(), false);

    /// <summary>The e-mail, or for a CPF <c>cpf:</c> and its blind index in hex.</summary>
    public string Stored => CpfHmac is { } hmac ? CpfDisclosure.HmacText(hmac) : Value;
}
