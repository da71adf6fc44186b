using Agepar.Bff.Audits;
using Agepar.Data;
using Agepar.Data.Audits;
using Agepar.Data.Auth;
using Microsoft.EntityFrameworkCore;

namespace Agepar.Bff.Auth;

/// <summary>
/// Sign-in: throttle, look up by e-mail or CPF, verify Argon2id (a dummy verification when the user or the password
/// does not exist, so every failure costs the same), then status. Blocked and pending users are told so only after
/// a correct password. Each attempt writes a <c>login_attempts</c> row and an audit in one transaction with the
/// session it creates.
/// </summary>
public sealed partial class LoginService(
    AgeparDbContext db,
    PasswordHasher hasher,
    LoginRateLimiter rateLimiter,
    SessionService sessions,
    AuditWriter audits,
    TimeProvider time,
    ILogger<LoginService> logger)
{
    public async Task<LoginOutcome> LoginAsync(HttpContext http, LoginIdentifier identifier, string password, bool rememberMe, CancellationToken ct)
    {
        // Whoever this browser was signed in as, this request acts for the identifier being tried: the audits of this
        // attempt must not name the previous session's user.
        var previous = http.GetCurrentUser();
        http.Features.Set<CurrentUser>(null);

        var ip = LoginRateLimiter.ClientIp(http);
        if (await rateLimiter.RetryAfterAsync(identifier.Value, ip, ct) is { } retryAfter)
        {
            await RecordFailureAsync(http, identifier, null, LoginAttemptReason.RateLimited, AuditOutcome.Denied, ct);
            return new LoginOutcome(LoginAttemptReason.RateLimited, RetryAfter: retryAfter);
        }

        var query = db.Users.Include(u => u.UserRoles).ThenInclude(ur => ur.Role);
        var user = identifier.IsCpf
            ? await query.FirstOrDefaultAsync(u => u.Cpf == identifier.Value, ct)
            : await query.FirstOrDefaultAsync(u => u.Email == identifier.Value, ct);

        var check = await hasher.VerifyAsync(user?.PasswordHash, password, ct);
        if (user is null || check == PasswordCheck.Failed)
        {
            var reason = user is null ? LoginAttemptReason.NotFound : LoginAttemptReason.BadCredentials;
            await RecordFailureAsync(http, identifier, user, reason, AuditOutcome.Failure, ct);
            return new LoginOutcome(reason, user);
        }

        if (user.Status != UserStatus.Active)
        {
            var reason = user.Status == UserStatus.Blocked ? LoginAttemptReason.StatusBlocked : LoginAttemptReason.StatusPending;
            await RecordFailureAsync(http, identifier, user, reason, AuditOutcome.Denied, ct);
            return new LoginOutcome(reason, user);
        }

        if (check == PasswordCheck.SuccessRehashNeeded)
        {
            user.PasswordHash = await hasher.HashAsync(password, ct);
            LogRehashed(user.Id);
        }

        // Signing in again from a browser that still holds a session replaces it.
        if (previous is not null)
        {
            await sessions.RevokeAsync(previous.SessionId, previous.Id, ct);
        }

        var issued = sessions.Create(user, rememberMe, ip, UserAgent(http));
        user.LastLoginAt = time.GetUtcNow();
        db.LoginAttempts.Add(Attempt(http, identifier, user, true, LoginAttemptReason.Ok));
        audits.Add(db, AuditActions.AuthLogin, AuditOutcome.Success,
            actorSnapshot: Snapshot(user), objectType: "session", objectId: issued.SessionId.ToString(),
            metadata: new { identifierType = identifier.IsCpf ? "cpf" : "email", rememberMe, rehashed = check == PasswordCheck.SuccessRehashNeeded });
        await db.SaveChangesAsync(ct);
        return new LoginOutcome(LoginAttemptReason.Ok, user, issued);
    }

    /// <summary>Records a refused attempt: the durable counter row plus an <c>auth.login_failed</c> audit.</summary>
    public async Task RecordFailureAsync(HttpContext http, LoginIdentifier identifier, User? user, string reason, string outcome, CancellationToken ct)
    {
        db.LoginAttempts.Add(Attempt(http, identifier, user, false, reason));
        audits.Add(db, AuditActions.AuthLoginFailed, outcome,
            actorSnapshot: user is null ? null : Snapshot(user),
            objectType: "user", objectId: user?.Id.ToString(),
            metadata: new { reason, identifier = identifier.Value, identifierType = identifier.IsCpf ? "cpf" : "email" });
        await db.SaveChangesAsync(ct);
        LogLoginFailed(reason, identifier.IsCpf ? "cpf" : "email", user?.Id);
    }

    public static ActorSnapshot Snapshot(User user) => new(user.Id, user.Name, user.Email, user.Cpf);

    private static LoginAttempt Attempt(HttpContext http, LoginIdentifier identifier, User? user, bool success, string reason) => new()
    {
        Identifier = identifier.Value,
        UserId = user?.Id,
        Ip = LoginRateLimiter.ClientIp(http),
        UserAgent = UserAgent(http),
        Success = success,
        Reason = reason,
    };

    private static string? UserAgent(HttpContext http) =>
        http.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? (ua.Length > 512 ? ua[..512] : ua) : null;

    [LoggerMessage(LogLevel.Information, "Login refused: {Reason} ({IdentifierType}, user {UserId})")]
    private partial void LogLoginFailed(string reason, string identifierType, Guid? userId);

    [LoggerMessage(LogLevel.Information, "Password hash of user {UserId} upgraded to the current Argon2id parameters")]
    private partial void LogRehashed(Guid userId);
}
