using System.ComponentModel.DataAnnotations;

namespace Agepar.Bff.Auth;

/// <summary>
/// In-memory rate limits against request floods (section <c>RateLimiting</c>): anonymous requests per client IP before
/// any authentication or CSRF work, then a fixed window per signed-in user (or per client IP when anonymous), and a
/// tighter one on <c>POST /api/auth/login</c> per client IP.
/// </summary>
public sealed class RequestRateLimitOptions
{
    public const string SectionName = "RateLimiting";

    public bool Enabled { get; set; } = true;

    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 1200;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    [Range(1, 1_000_000)]
    public int LoginPermitLimit { get; set; } = 120;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LoginWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Requests per client IP and <see cref="AnonymousWindow"/> that carry no session cookie, or one that did not
    /// authenticate, checked before the session lookup and CSRF (health and /metrics are exempt): 300.
    /// </summary>
    [Range(1, 1_000_000)]
    public int AnonymousPermitLimit { get; set; } = 300;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan AnonymousWindow { get; set; } = TimeSpan.FromMinutes(1);
}
