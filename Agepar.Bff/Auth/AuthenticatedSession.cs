namespace Agepar.Bff.Auth;

/// <summary>Request feature: the session that authenticated this request and its raw cookie token.</summary>
internal sealed record AuthenticatedSession(CachedSession Session, string Token);
