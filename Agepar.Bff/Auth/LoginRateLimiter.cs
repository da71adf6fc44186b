using System.Net;
using Agepar.Data;
using Agepar.Data.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Auth;

/// <summary>
/// Durable login throttle over <c>login_attempts</c> (survives restarts, shared by every BFF instance): counts the
/// failed attempts (unknown identifier, wrong password) of the last window per identifier and per client IP.
/// Refused attempts (<c>rate_limited</c>) do not count, so the lock lifts a full window after the last real guess.
/// </summary>
public sealed class LoginRateLimiter(AgeparDbContext db, IOptions<LoginRateLimitOptions> options, TimeProvider time)
{
    private static readonly string[] CountedReasons = [LoginAttemptReason.BadCredentials, LoginAttemptReason.NotFound];

    /// <summary>How long until a login for <paramref name="identifier"/> from <paramref name="ip"/> is allowed; null if it is now.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string identifier, IPAddress? ip, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var since = now - o.Window;
        var byIdentifier = await NthRecentFailureAsync(db.LoginAttempts.Where(a => a.Identifier == identifier), o.MaxFailuresPerIdentifier, since, ct);
        var byIp = ip is null ? null : await NthRecentFailureAsync(db.LoginAttempts.Where(a => a.Ip == ip), o.MaxFailuresPerIp, since, ct);
        var latest = new[] { byIdentifier, byIp }.Max();
        if (latest is null)
        {
            return null;
        }

        var wait = latest.Value + o.Window - now;
        return wait > TimeSpan.Zero ? wait : null;
    }

    /// <summary>The time of the n-th most recent counted failure within the window: while there is one, the limit is reached.</summary>
    private static Task<DateTimeOffset?> NthRecentFailureAsync(IQueryable<LoginAttempt> attempts, int n, DateTimeOffset since, CancellationToken ct) =>
        attempts
            .Where(a => !a.Success && CountedReasons.Contains(a.Reason) && a.At > since)
            .OrderByDescending(a => a.At)
            .Skip(n - 1)
            .Select(a => (DateTimeOffset?)a.At)
            .FirstOrDefaultAsync(ct);

    /// <summary>Normalizes an address for counting (IPv4-mapped IPv6 → IPv4).</summary>
    public static IPAddress? ClientIp(HttpContext context) =>
        context.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : context.Connection.RemoteIpAddress;
}
