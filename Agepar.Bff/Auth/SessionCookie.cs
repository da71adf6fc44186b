namespace Agepar.Bff.Auth;

/// <summary>
/// The session cookie's flags: HttpOnly, SameSite=Lax, Path=/, and Secure with the <c>__Host-</c> name prefix
/// everywhere except in Development (plain http on localhost). Persistent only with "remember me".
/// </summary>
public static class SessionCookie
{
    public const string HostPrefix = "__Host-";

    public static bool IsSecure(IHostEnvironment environment) => !environment.IsDevelopment();

    public static string Name(AuthSessionOptions options, bool secure) => secure ? HostPrefix + options.CookieName : options.CookieName;

    public static CookieOptions Options(bool secure, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = secure,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        IsEssential = true,
        Expires = expires,
    };
}
