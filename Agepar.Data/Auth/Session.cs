using System.Net;

namespace Agepar.Data.Auth;

/// <summary>A server-side login session (table <c>sessions</c>). The cookie carries an opaque token; only its SHA-256 is stored.</summary>
public sealed class Session
{
    /// <summary>Primary key: EF assigns a UUIDv7 when the entity is added; the column default <c>gen_random_uuid()</c> covers SQL inserts.</summary>
    public Guid Id { get; set; }

    /// <summary>Owner of the session (cascade delete).</summary>
    public Guid UserId { get; set; }

    /// <summary>SHA-256 (32 bytes) of the opaque cookie token; unique.</summary>
    public required byte[] TokenHash { get; set; }

    /// <summary>SHA-256 (32 bytes) of the CSRF token bound to this session, if one was issued.</summary>
    public byte[]? CsrfTokenHash { get; set; }

    /// <summary>Creation time (database default <c>now()</c>).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Time of the last authenticated request (database default <c>now()</c>).</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>Absolute expiry; a session is live while <c>revoked_at IS NULL AND expires_at &gt; now()</c>.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Set by logout, revocation or password change.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Whether the user asked for the long-lived ("remember me") lifetime.</summary>
    public bool RememberMe { get; set; }

    /// <summary>Client address at creation (<c>inet</c>).</summary>
    public IPAddress? Ip { get; set; }

    /// <summary>Client User-Agent at creation.</summary>
    public string? UserAgent { get; set; }

    /// <summary>Navigation to the owner.</summary>
    public User? User { get; set; }
}
