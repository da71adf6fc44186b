using System.ComponentModel.DataAnnotations;

namespace Agepar.Bff.Auth;

/// <summary>Session cookie, lifetime and cache settings (configuration section <c>Auth:Session</c>).</summary>
public sealed class AuthSessionOptions
{
    public const string SectionName = "Auth:Session";

    /// <summary>Cookie name. Outside Development the cookie is Secure and gets the <c>__Host-</c> prefix.</summary>
    [Required, RegularExpression("^[A-Za-z0-9_.-]{1,64}$")]
    public string CookieName { get; set; } = "agepar_session";

    /// <summary>Idle lifetime of a session (sliding): 8 hours.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Lifetime of a "remember me" session: 30 days.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan RememberMeLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>No session, however active, lives longer than this after login.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Extend <c>expires_at</c> on activity once less than half of the lifetime remains.</summary>
    public bool SlidingExpiration { get; set; } = true;

    /// <summary><c>last_seen_at</c> is written at most this often per session (keeps the hot path read-only).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TouchInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long Redis keeps a session → principal lookup. Every change to a user or session invalidates it at once.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>After a Redis error the cache is skipped (database only) for this long before Redis is tried again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan CacheRetryAfterFailure { get; set; } = TimeSpan.FromSeconds(5);
}
