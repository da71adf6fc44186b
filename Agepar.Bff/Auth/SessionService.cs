using System.Net;
using Agepar.Data;
using Agepar.Data.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Auth;

/// <summary>
/// Server-side sessions: creation, the per-request lookup (Redis first, then the database), sliding renewal and
/// revocation. Roles and status always come from the database (through the cache), never from the cookie.
/// </summary>
public sealed class SessionService(
    AgeparDbContext db, SessionCache cache, IOptions<AuthSessionOptions> options, TimeProvider time)
{
    private AuthSessionOptions Options => options.Value;

    /// <summary>Stages a new session for <paramref name="user"/> on the context (the caller saves).</summary>
    /// <param name="userAgent">The client's User-Agent as <see cref="Infrastructure.StorableText.UserAgent"/> gives it (bounded, storable).</param>
    public IssuedSession Create(User user, bool rememberMe, IPAddress? ip, string? userAgent)
    {
        var now = time.GetUtcNow();
        var token = SessionTokens.NewToken();
        var csrf = SessionTokens.CsrfTokenFor(token);
        var expires = Min(now + (rememberMe ? Options.RememberMeLifetime : Options.Lifetime), now + Options.AbsoluteLifetime);
        var session = new Session
        {
            UserId = user.Id,
            TokenHash = SessionTokens.Hash(token),
            CsrfTokenHash = SessionTokens.Hash(csrf),
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = expires,
            RememberMe = rememberMe,
            Ip = ip,
            UserAgent = userAgent,
        };
        db.Sessions.Add(session);
        return new IssuedSession(session.Id, token, csrf, expires, rememberMe);
    }

    /// <summary>
    /// The live session behind <paramref name="token"/> with its user, or null when the token is unknown, revoked,
    /// expired or its user is not active. Renews the session (sliding) and touches <c>last_seen_at</c> when due;
    /// <paramref name="renewed"/> then holds the new expiry.
    /// </summary>
    public async Task<(CachedSession? Session, DateTimeOffset? Renewed)> ResolveAsync(string token, CancellationToken ct)
    {
        var hash = SessionTokens.Hash(token);
        var now = time.GetUtcNow();
        var entry = await cache.GetAsync(hash);
        if (entry is null)
        {
            entry = await LoadAndCacheAsync(hash, now, ct);
            if (entry is null)
            {
                return (null, null);
            }
        }

        if (entry.ExpiresAt <= now || entry.Status != UserStatus.Active)
        {
            return (null, null);
        }

        var newExpiry = NextExpiry(entry, now);
        if (newExpiry is null && now - entry.LastSeenAt < Options.TouchInterval)
        {
            return (entry, null);
        }

        var expires = newExpiry ?? entry.ExpiresAt;
        var updated = await db.Sessions
            .Where(s => s.Id == entry.SessionId && s.RevokedAt == null && s.ExpiresAt > now)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, now).SetProperty(s => s.ExpiresAt, expires), ct);
        if (updated == 0)
        {
            await cache.InvalidateUserAsync(entry.UserId, hash);
            return (null, null);
        }

        entry = entry with { LastSeenAt = now, ExpiresAt = expires };
        await cache.SetAsync(hash, entry);
        return (entry, newExpiry);
    }

    /// <summary>Revokes one session (if live) and drops it from the cache. Returns whether it was live.</summary>
    public async Task<bool> RevokeAsync(Guid sessionId, Guid userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var hash = await db.Sessions.Where(s => s.Id == sessionId && s.UserId == userId).Select(s => s.TokenHash).FirstOrDefaultAsync(ct);
        var revoked = await db.Sessions
            .Where(s => s.Id == sessionId && s.UserId == userId && s.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, now), ct);
        await cache.InvalidateUserAsync(userId, hash);
        return revoked > 0;
    }

    /// <summary>Revokes every live session of the user (block, password change or reset). Returns how many.</summary>
    public async Task<int> RevokeAllAsync(Guid userId, CancellationToken ct, Guid? except = null)
    {
        var now = time.GetUtcNow();
        var revoked = await db.Sessions
            .Where(s => s.UserId == userId && s.RevokedAt == null && s.ExpiresAt > now && s.Id != except)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, now), ct);
        await cache.InvalidateUserAsync(userId);
        return revoked;
    }

    /// <summary>Call after any change to a user's roles, status or flags, once it is committed.</summary>
    public Task InvalidateUserAsync(Guid userId) => cache.InvalidateUserAsync(userId);

    /// <summary>
    /// Reads the session from the database and caches it. The user's cache generation is read <em>before</em> the
    /// session row, so an entry built from data older than a concurrent invalidation is never taken as current.
    /// </summary>
    private async Task<CachedSession?> LoadAndCacheAsync(byte[] hash, DateTimeOffset now, CancellationToken ct)
    {
        if (!cache.Available)
        {
            return await LoadAsync(hash, now, ct);
        }

        var userId = await db.Sessions.Where(s => s.TokenHash == hash && s.RevokedAt == null && s.ExpiresAt > now)
            .Select(s => (Guid?)s.UserId).FirstOrDefaultAsync(ct);
        if (userId is null)
        {
            return null;
        }

        var generation = await cache.GetGenerationAsync(userId.Value);
        var entry = await LoadAsync(hash, now, ct);
        if (entry is not null && generation is { } g)
        {
            entry = entry with { Generation = g };
            await cache.SetAsync(hash, entry);
        }

        return entry;
    }

    private async Task<CachedSession?> LoadAsync(byte[] hash, DateTimeOffset now, CancellationToken ct) =>
        await db.Sessions.AsNoTracking()
            .Where(s => s.TokenHash == hash && s.RevokedAt == null && s.ExpiresAt > now)
            .Select(s => new CachedSession(
                s.Id, s.UserId, s.CsrfTokenHash, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.RememberMe,
                s.User!.Name, s.User.Email, s.User.CpfEncrypted, s.User.CpfHmac, s.User.Status, s.User.IsSuperuser, s.User.MustChangePassword,
                s.User.UserRoles.Select(ur => ur.Role!.Name).OrderBy(n => n).ToList(),
                0))
            .FirstOrDefaultAsync(ct);

    /// <summary>The sliding expiry when less than half of the lifetime remains; null when no renewal is due.</summary>
    private DateTimeOffset? NextExpiry(CachedSession entry, DateTimeOffset now)
    {
        if (!Options.SlidingExpiration)
        {
            return null;
        }

        var lifetime = entry.RememberMe ? Options.RememberMeLifetime : Options.Lifetime;
        if (entry.ExpiresAt - now > lifetime / 2)
        {
            return null;
        }

        var next = Min(now + lifetime, entry.CreatedAt + Options.AbsoluteLifetime);
        return next > entry.ExpiresAt ? next : null;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
