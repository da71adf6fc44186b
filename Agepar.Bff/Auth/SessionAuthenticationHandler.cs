using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Auth;

/// <summary>
/// Authenticates a request by its opaque session cookie: the session and its user (roles, status, flags) come from
/// the database through the Redis cache, never from the cookie. Sets <see cref="CurrentUser"/> as a request feature
/// and a <see cref="ClaimsPrincipal"/> (NameIdentifier = user id, a Role claim per role). Renews a remember-me cookie
/// when the session slides.
/// </summary>
internal sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    SessionService sessions,
    IOptions<AuthSessionOptions> sessionOptions,
    IHostEnvironment environment)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secure = SessionCookie.IsSecure(environment);
        var cookieName = SessionCookie.Name(sessionOptions.Value, secure);
        if (!Request.Cookies.TryGetValue(cookieName, out var token) || string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        if (!SessionTokens.LooksValid(token))
        {
            return AuthenticateResult.Fail("Malformed session cookie.");
        }

        var (session, renewedUntil) = await sessions.ResolveAsync(token, Context.RequestAborted);
        if (session is null)
        {
            return AuthenticateResult.Fail("Session unknown, revoked or expired, or its user is not active.");
        }

        if (renewedUntil is not null && session.RememberMe)
        {
            Response.Cookies.Append(cookieName, token, SessionCookie.Options(secure, renewedUntil));
        }

        var user = session.ToCurrentUser();
        Context.Features.Set(user);
        Context.Features.Set(new AuthenticatedSession(session, token));

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.Name),
            new(ClaimTypes.Email, user.Email),
            new("sid", user.SessionId.ToString()),
        };
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        if (user.IsSuperuser)
        {
            claims.Add(new Claim("is_superuser", "true"));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, ClaimTypes.Name, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }
}
