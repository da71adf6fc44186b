namespace Agepar.Bff.Auth;

/// <summary>Names of the session-cookie authentication scheme and its CSRF header.</summary>
public static class SessionAuthentication
{
    public const string Scheme = "AgeparSession";

    /// <summary>Header carrying the anti-forgery token on POST/PUT/PATCH/DELETE.</summary>
    public const string CsrfHeaderName = "X-CSRF-Token";
}
