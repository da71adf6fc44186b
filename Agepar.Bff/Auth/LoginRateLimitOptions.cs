using System.ComponentModel.DataAnnotations;

namespace Agepar.Bff.Auth;

/// <summary>
/// Durable login throttling backed by <c>login_attempts</c> (configuration section <c>Auth:LoginRateLimit</c>): a
/// sliding window of failed attempts (unknown identifier or wrong password) per identifier and per client IP.
/// </summary>
public sealed class LoginRateLimitOptions
{
    public const string SectionName = "Auth:LoginRateLimit";

    /// <summary>Turn the login throttle off entirely (not recommended).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The sliding window: 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures for one identifier (e-mail or CPF) within the window before it is refused: 5.</summary>
    [Range(1, 10_000)]
    public int MaxFailuresPerIdentifier { get; set; } = 5;

    /// <summary>
    /// Failures from one client IP within the window before every login from it is refused. Higher than the
    /// per-identifier limit because a whole office shares one address behind NAT; set it to 5 to match the original.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxFailuresPerIp { get; set; } = 50;
}
