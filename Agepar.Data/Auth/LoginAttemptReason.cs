namespace Agepar.Data.Auth;

/// <summary>Values of <c>login_attempts.reason</c> (enforced by a CHECK constraint).</summary>
public static class LoginAttemptReason
{
    /// <summary>Signed in.</summary>
    public const string Ok = "ok";

    /// <summary>No user has that identifier.</summary>
    public const string NotFound = "not_found";

    /// <summary>Wrong password (or no local password).</summary>
    public const string BadCredentials = "bad_credentials";

    /// <summary>Refused by the rate limiter before checking the password.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>The user is blocked.</summary>
    public const string StatusBlocked = "status_blocked";

    /// <summary>The user is pending approval.</summary>
    public const string StatusPending = "status_pending";

    /// <summary>Every allowed value.</summary>
    public static IReadOnlyList<string> All { get; } = [Ok, NotFound, BadCredentials, RateLimited, StatusBlocked, StatusPending];
}
