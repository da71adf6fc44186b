namespace Agepar.Bff.Auth;

/// <summary>The current session's anti-forgery token and the header to send it in.</summary>
public sealed record CsrfResponse(string CsrfToken, string HeaderName);
