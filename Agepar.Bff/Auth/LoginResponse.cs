namespace Agepar.Bff.Auth;

/// <summary>
/// The user signed in (flat, like the original portal's LoginOut) plus the session's anti-forgery token, to send in
/// the <c>X-CSRF-Token</c> header on every POST/PUT/PATCH/DELETE.
/// </summary>
public sealed record LoginResponse(
    Guid Id,
    string Name,
    string Email,
    string? Cpf,
    IReadOnlyList<string> Roles,
    bool IsSuperuser,
    bool IsAdmin,
    bool MustChangePassword,
    Guid SessionId,
    DateTimeOffset ExpiresAt,
    string CsrfToken);
