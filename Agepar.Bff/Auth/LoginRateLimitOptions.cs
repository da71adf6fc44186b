using System.ComponentModel.DataAnnotations;

namespace Agepar.Bff.Auth;

/// <summary>
/// Durable login throttling backed by <c>login_attempts</c> (configuration section <c>Auth:LoginRateLimit</c>): a
/// sliding window of failed attempts (unknown identifier or wrong password), counted before the password is verified.
/// Policy and trade-offs: docs/auth.md, "Rate limits".
/// </summary>
public sealed class LoginRateLimitOptions
{
    public const string SectionName = "Auth:LoginRateLimit";

    /// <summary>Turn the login throttle off entirely (not recommended).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The sliding window: 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures for one account from one client IP within the window before that IP is refused for it: 5.</summary>
    [Range(1, 10_000)]
    public int MaxFailuresPerAccountAndIp { get; set; } = 5;

    /// <summary>
    /// Failures for one account from every IP together within the window before it is refused from any IP it has not
    /// signed in from lately (see <see cref="KnownDeviceWindow"/>): 20. Bounds a guessing attack spread over many
    /// addresses without letting a stranger lock the owner out where the owner usually signs in.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxFailuresPerAccount { get; set; } = 20;

    /// <summary>
    /// Failures from one client IP within the window before every login from it is refused. Higher than the
    /// per-account limit because a whole office shares one address behind NAT; set it to 5 to match the original.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxFailuresPerIp { get; set; } = 50;

    /// <summary>
    /// An IP from which the account signed in successfully within this period is exempt from
    /// <see cref="MaxFailuresPerAccount"/> (it keeps its per account-and-IP budget): 30 days. Keep it below
    /// <c>Maintenance:LoginAttemptRetention</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan KnownDeviceWindow { get; set; } = TimeSpan.FromDays(30);
}
