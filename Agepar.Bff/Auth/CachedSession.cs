using Agepar.Data.Protection;

namespace Agepar.Bff.Auth;

/// <summary>
/// A live session joined with its user and roles: what one authenticated request needs, as cached in Redis.
/// <see cref="Generation"/> is the user's cache generation when the entry was read from the database.
/// </summary>
public sealed record CachedSession(
    Guid SessionId,
    Guid UserId,
    byte[]? CsrfTokenHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt,
    bool RememberMe,
    string Name,
    string Email,
    byte[]? CpfEncrypted,
    byte[]? CpfHmac,
    string Status,
    bool IsSuperuser,
    bool MustChangePassword,
    IReadOnlyList<string> Roles,
    long Generation = 0)
{
    public CurrentUser ToCurrentUser() =>
        new(UserId, SessionId, Name, Email, CpfEncrypted is null || CpfHmac is null ? null : new SealedCpf(CpfEncrypted, CpfHmac), new HashSet<string>(Roles, StringComparer.Ordinal), IsSuperuser, MustChangePassword);
}
