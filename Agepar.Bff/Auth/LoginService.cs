using Agepar.Bff.Audits;
using Agepar.Bff.Infrastructure;
using Agepar.Data;
using Agepar.Data.Audits;
using Agepar.Data.Auth;
using Agepar.Data.Protection;
using Microsoft.EntityFrameworkCore;

namespace Agepar.Bff.Auth;

/// <summary>
/// Sign-in: look up by e-mail or CPF, count the attempt against the throttle (before any verification), verify
/// Argon2id (a dummy verification when the user or the password does not exist, so every failure costs the same),
/// then status. Blocked and pending users are told so only after a correct password. Each attempt leaves one
/// <c>login_attempts</c> row and an audit; a success writes its session and audit in one transaction.
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
        var query = db.Users.Include(u => u.UserRoles).ThenInclude(ur => ur.Role);
        var user = identifier.IsCpf
            ? await query.FirstOrDefaultAsync(u => u.CpfHmac == identifier.CpfHmac, ct)
            : await query.FirstOrDefaultAsync(u => u.Email == identifier.Value, ct);

        // Counted before the password is looked at: a refused guess never reaches verification.
        var failure = user is null ? LoginAttemptReason.NotFound : LoginAttemptReason.BadCredentials;
        var ticket = await rateLimiter.BeginAsync(LoginAccount.For(user, identifier), ip, StorableText.UserAgent(http), failure, ct);
        if (ticket.RetryAfter is { } retryAfter)
        {
            await AuditFailureAsync(identifier, user, LoginAttemptReason.RateLimited, AuditOutcome.Denied, ct);
            return new LoginOutcome(LoginAttemptReason.RateLimited, RetryAfter: retryAfter);
        }

        var check = await hasher.VerifyAsync(user?.PasswordHash, password, ct);
        if (user is null || check == PasswordCheck.Failed)
        {
            await AuditFailureAsync(identifier, user, failure, AuditOutcome.Failure, ct);
            return new LoginOutcome(failure, user);
        }

        if (user.Status != UserStatus.Active)
        {
            var reason = user.Status == UserStatus.Blocked ? LoginAttemptReason.StatusBlocked : LoginAttemptReason.StatusPending;
            await rateLimiter.SettleAsync(ticket, reason, success: false, ct);
            await AuditFailureAsync(identifier, user, reason, AuditOutcome.Denied, ct);
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

        var issued = sessions.Create(user, rememberMe, ip, StorableText.UserAgent(http));
        user.LastLoginAt = time.GetUtcNow();
        audits.Add(db, AuditActions.AuthLogin, AuditOutcome.Success,
            actorSnapshot: Snapshot(user), objectType: "session", objectId: issued.SessionId.ToString(),
            metadata: new { identifierType = identifier.IsCpf ? "cpf" : "email", rememberMe, rehashed = check == PasswordCheck.SuccessRehashNeeded });
        await db.SaveChangesAsync(ct);
        // Settled only once the session exists: until then the attempt counts as a failure, the safe side.
        await rateLimiter.SettleAsync(ticket, LoginAttemptReason.Ok, success: true, ct);
        return new LoginOutcome(LoginAttemptReason.Ok, user, issued);
    }

    /// <summary>The <c>auth.login_failed</c> audit of a refused attempt (its <c>login_attempts</c> row is already written).</summary>
    public async Task AuditFailureAsync(LoginIdentifier identifier, User? user, string reason, string outcome, CancellationToken ct)
    {
        audits.Add(db, AuditActions.AuthLoginFailed, outcome,
            actorSnapshot: user is null ? null : Snapshot(user),
            objectType: "user", objectId: user?.Id.ToString(),
            metadata: new { reason, identifier = identifier.Stored, identifierType = identifier.IsCpf ? "cpf" : "email" });
        await db.SaveChangesAsync(ct);
        LogLoginFailed(reason, identifier.IsCpf ? "cpf" : "email", user?.Id);
    }

    public static ActorSnapshot Snapshot(User user) =>
        new(user.Id, user.Name, user.Email, user.CpfEncrypted is { } cipher && user.CpfHmac is { } hmac ? new SealedCpf(cipher, hmac) : null);

    [LoggerMessage(LogLevel.Information, "Login refused: {Reason} ({IdentifierType}, user {UserId})")]
    private partial void LogLoginFailed(string reason, string identifierType, Guid? userId);

    [LoggerMessage(LogLevel.Information, "Password hash of user {UserId} upgraded to the current Argon2id parameters")]
    private partial void LogRehashed(Guid userId);
}
