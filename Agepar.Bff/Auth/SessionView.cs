namespace Agepar.Bff.Auth;

/// <summary>One of the caller's sessions (active, expired or revoked); <see cref="Current"/> marks this request's.</summary>
public sealed record SessionView(
    Guid Id,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    bool RememberMe,
    string? Ip,
    string? UserAgent,
    bool Active,
    bool Current);
