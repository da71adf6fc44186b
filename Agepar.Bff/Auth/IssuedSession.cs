namespace Agepar.Bff.Auth;

/// <summary>A session just created: the cookie token and the CSRF token are only known at this point.</summary>
public sealed record IssuedSession(Guid SessionId, string Token, string CsrfToken, DateTimeOffset ExpiresAt, bool RememberMe);
