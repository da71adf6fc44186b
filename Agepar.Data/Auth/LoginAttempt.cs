using System.Net;

namespace Agepar.Data.Auth;

/// <summary>One login attempt, successful or not (table <c>login_attempts</c>): the auth log and the rate limiter's source.</summary>
public sealed class LoginAttempt
{
    /// <summary>Identity primary key.</summary>
    public long Id { get; set; }

    /// <summary>The normalized identifier typed by the user (lower-case e-mail or 11-digit CPF).</summary>
    public required string Identifier { get; set; }

    /// <summary>The matched user, if any (set to null when the user is deleted).</summary>
    public Guid? UserId { get; set; }

    /// <summary>Client address (<c>inet</c>).</summary>
    public IPAddress? Ip { get; set; }

    /// <summary>Client User-Agent.</summary>
    public string? UserAgent { get; set; }

    /// <summary>Whether the attempt signed the user in.</summary>
    public bool Success { get; set; }

    /// <summary>Outcome reason, one of <see cref="LoginAttemptReason"/>.</summary>
    public required string Reason { get; set; }

    /// <summary>Time of the attempt (database default <c>now()</c>).</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>Navigation to the matched user.</summary>
    public User? User { get; set; }
}
