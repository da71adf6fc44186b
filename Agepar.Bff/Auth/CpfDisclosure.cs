using Agepar.Data.Auth;
using Agepar.Data.Protection;

namespace Agepar.Bff.Auth;

/// <summary>
/// Who sees a CPF in clear (docs/auth.md, "CPFs"): the user themself (<c>/api/me</c>, the login response) and
/// administrators (<c>admin</c> role or superuser: user management, the audit panel and its exports). Every other
/// reader gets it masked, <c>***.456.789-**</c>. Nothing else decrypts.
/// </summary>
public static class CpfDisclosure
{
    /// <summary>True when <paramref name="viewer"/> may read other people's CPFs in clear.</summary>
    public static bool SeesClear(CurrentUser viewer) => viewer.IsAdmin;

    /// <summary>The user's own CPF in clear, or null.</summary>
    public static string? Own(User user, CpfProtector protector) =>
        user.CpfEncrypted is { } cipher && user.CpfHmac is { } hmac ? protector.Unprotect(cipher, hmac) : null;

    /// <summary>A stored CPF as <paramref name="viewer"/> may see it: clear for administrators, masked otherwise; null when absent.</summary>
    public static string? For(CurrentUser viewer, byte[]? cipher, byte[]? hmac, CpfProtector protector)
    {
        if (cipher is null || hmac is null)
        {
            return null;
        }

        var digits = protector.Unprotect(cipher, hmac);
        return SeesClear(viewer) ? digits : CpfProtector.Mask(digits);
    }

    /// <summary>The blind index as text, as sign-in throttling and its audits store a CPF: <c>cpf:</c> + 64 hex digits.</summary>
    public static string HmacText(byte[] hmac) => "cpf:" + Convert.ToHexStringLower(hmac);
}
