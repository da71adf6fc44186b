using System.Globalization;
using Agepar.Bff.Audits;
using Agepar.Bff.Infrastructure;
using Agepar.Data;
using Agepar.Data.Audits;
using Agepar.Data.Auth;
using Agepar.Data.Protection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Auth;

/// <summary>Sign-in, sign-out, own password and sessions, CSRF token (<c>/api/auth</c>), and <c>GET /api/me</c>.</summary>
public static class AuthApi
{
    public const int MaxIdentifierLength = 254;
    public const int MaxPasswordLength = 1024;

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", GetMe)
            .WithTags("Auth").WithName("GetMe")
            .WithSummary("The signed-in user: roles from the database, flags (reachable while a password change is pending).")
            .RequireAuthorization(AuthPolicies.Authenticated);

        var group = app.MapGroup("/api/auth").WithTags("Auth");

        group.MapPost("/login", LoginAsync)
            .WithName("Login")
            .WithSummary("Sign in with e-mail or CPF and password; sets the HttpOnly session cookie and returns the CSRF token.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AllowAnonymous()
            .WithMetadata(CsrfExemptMetadata.Instance)
            .RequireRateLimiting(RequestRateLimiting.LoginPolicy);

        group.MapPost("/logout", LogoutAsync)
            .WithName("Logout")
            .WithSummary("Sign out: revokes this session and expires the cookie. 204 even without a session.")
            .AllowAnonymous();

        group.MapGet("/csrf", GetCsrf)
            .WithName("GetCsrfToken")
            .WithSummary("The session's anti-forgery token, for the X-CSRF-Token header of unsafe requests.")
            .RequireAuthorization(AuthPolicies.Authenticated);

        group.MapPost("/change-password", ChangePasswordAsync)
            .WithName("ChangePassword")
            .WithSummary("Change your own password (policy applies); revokes every session and starts a new one.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireAuthorization(AuthPolicies.Authenticated);

        group.MapGet("/sessions", ListSessionsAsync)
            .WithName("ListOwnSessions")
            .WithSummary("Your sessions (most recent first, up to 100), the current one flagged.")
            .RequireAuthorization(AuthPolicies.Active);

        group.MapPost("/sessions/{id:guid}/revoke", RevokeSessionAsync)
            .WithName("RevokeOwnSession")
            .WithSummary("Revoke one of your sessions (idempotent); revoking the current one signs you out.")
            .RequireAuthorization(AuthPolicies.Active);

        return group;
    }

    private static Ok<MeResponse> GetMe(HttpContext http, CpfProtector protector) => TypedResults.Ok(MeResponse.From(http.RequireCurrentUser(), protector));

    private static async Task<Results<Ok<LoginResponse>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request, HttpContext http, LoginService login, IOptions<AuthSessionOptions> sessionOptions,
        IHostEnvironment environment, CpfProtector protector, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        // NUL or broken Unicode cannot be anyone's e-mail, and PostgreSQL would refuse it in the lookup (a 500).
        if (string.IsNullOrWhiteSpace(request.Identifier) || request.Identifier.Length > MaxIdentifierLength
            || TextRules.Check(request.Identifier, multiline: false) is not null)
        {
            errors["identifier"] = ["Informe o e-mail ou o CPF."];
        }

        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > MaxPasswordLength)
        {
            errors["password"] = ["Informe a senha."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var identifier = LoginIdentifier.Parse(request.Identifier!, protector);
        var outcome = await login.LoginAsync(http, identifier, request.Password!, request.RememberMe, ct);
        switch (outcome.Reason)
        {
            case LoginAttemptReason.RateLimited:
                http.Response.Headers.RetryAfter = Math.Ceiling(outcome.RetryAfter!.Value.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return ApiProblems.Problem(StatusCodes.Status429TooManyRequests, ApiProblems.TooManyAttempts,
                    "Muitas tentativas de login.", "Aguarde antes de tentar novamente.");
            case LoginAttemptReason.StatusBlocked:
                return ApiProblems.Problem(StatusCodes.Status403Forbidden, ApiProblems.UserBlocked, "Usuário bloqueado.");
            case LoginAttemptReason.StatusPending:
                return ApiProblems.Problem(StatusCodes.Status403Forbidden, ApiProblems.UserPending, "Usuário pendente de aprovação.");
            case not LoginAttemptReason.Ok:
                return ApiProblems.Problem(StatusCodes.Status401Unauthorized, ApiProblems.InvalidCredentials, "Credenciais inválidas.");
        }

        SetCookie(http, outcome.Session!, sessionOptions.Value, environment);
        return TypedResults.Ok(ToResponse(outcome.User!, outcome.Session!, protector));
    }

    private static async Task<NoContent> LogoutAsync(
        HttpContext http, SessionService sessions, AgeparDbContext db, AuditWriter audits,
        IOptions<AuthSessionOptions> sessionOptions, IHostEnvironment environment, CancellationToken ct)
    {
        if (http.GetCurrentUser() is { } user)
        {
            await sessions.RevokeAsync(user.SessionId, user.Id, ct);
            audits.Add(db, AuditActions.AuthLogout, AuditOutcome.Success, objectType: "session", objectId: user.SessionId.ToString());
            await db.SaveChangesAsync(ct);
        }

        ExpireCookie(http, sessionOptions.Value, environment);
        return TypedResults.NoContent();
    }

    private static Ok<CsrfResponse> GetCsrf(HttpContext http) =>
        TypedResults.Ok(new CsrfResponse(
            SessionTokens.CsrfTokenFor((http.Features.Get<AuthenticatedSession>() ?? throw new InvalidOperationException("No session.")).Token),
            SessionAuthentication.CsrfHeaderName));

    private static async Task<Results<Ok<LoginResponse>, ValidationProblem, ProblemHttpResult>> ChangePasswordAsync(
        ChangePasswordRequest request, HttpContext http, [AsParameters] PasswordChangeServices services, CancellationToken ct)
    {
        var current = http.RequireCurrentUser();
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(request.CurrentPassword) || request.CurrentPassword.Length > MaxPasswordLength)
        {
            errors["currentPassword"] = ["Informe a senha atual."];
        }

        if (string.IsNullOrEmpty(request.NewPassword))
        {
            errors["newPassword"] = ["Informe a nova senha."];
        }
        else if (request.NewPassword != request.NewPasswordConfirm)
        {
            errors["newPasswordConfirm"] = ["A confirmação não confere com a nova senha."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        // The current password is a password check like a login: counted against the same budgets before it is verified.
        var identifier = new LoginIdentifier(current.Email.ToLowerInvariant(), false);
        var user = await services.Db.Users.Include(u => u.UserRoles).ThenInclude(ur => ur.Role).FirstAsync(u => u.Id == current.Id, ct);
        var ticket = await services.RateLimiter.BeginAsync(LoginAccount.For(user, identifier), LoginRateLimiter.ClientIp(http),
            StorableText.UserAgent(http), LoginAttemptReason.BadCredentials, ct);
        if (ticket.RetryAfter is { } retryAfter)
        {
            await services.Login.AuditFailureAsync(identifier, user, LoginAttemptReason.RateLimited, AuditOutcome.Denied, ct);
            http.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return ApiProblems.Problem(StatusCodes.Status429TooManyRequests, ApiProblems.TooManyAttempts, "Muitas tentativas.", "Aguarde antes de tentar novamente.");
        }

        if (await services.Hasher.VerifyAsync(user.PasswordHash, request.CurrentPassword!, ct) == PasswordCheck.Failed)
        {
            await services.Login.AuditFailureAsync(identifier, user, LoginAttemptReason.BadCredentials, AuditOutcome.Failure, ct);
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["currentPassword"] = ["Senha atual incorreta."] });
        }

        await services.RateLimiter.SettleAsync(ticket, LoginAttemptReason.Ok, success: true, ct);
        var policyErrors = services.Policy.Validate(request.NewPassword!, user.Email, CpfDisclosure.Own(user, services.Protector), user.Name).ToList();
        if (request.NewPassword == request.CurrentPassword)
        {
            policyErrors.Add("A nova senha deve ser diferente da atual.");
        }

        if (policyErrors.Count > 0)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["newPassword"] = [.. policyErrors] });
        }

        var wasForced = user.MustChangePassword;
        user.PasswordHash = await services.Hasher.HashAsync(request.NewPassword!, ct);
        user.MustChangePassword = false;
        var revoked = await services.Sessions.RevokeAllAsync(user.Id, ct);
        var rememberMe = http.Features.Get<AuthenticatedSession>()?.Session.RememberMe ?? false;
        var issued = services.Sessions.Create(user, rememberMe, LoginRateLimiter.ClientIp(http), StorableText.UserAgent(http));
        services.Audits.Add(services.Db, AuditActions.AuthPasswordChanged, AuditOutcome.Success,
            objectType: "user", objectId: user.Id.ToString(),
            metadata: new { mustChangePasswordBefore = wasForced, sessionsRevoked = revoked });
        await services.Db.SaveChangesAsync(ct);
        await services.Sessions.InvalidateUserAsync(user.Id);

        SetCookie(http, issued, services.SessionOptions.Value, services.Environment);
        return TypedResults.Ok(ToResponse(user, issued, services.Protector));
    }

    private static async Task<Ok<List<SessionView>>> ListSessionsAsync(HttpContext http, AgeparDbContext db, TimeProvider time, CancellationToken ct)
    {
        var user = http.RequireCurrentUser();
        var now = time.GetUtcNow();
        var rows = await db.Sessions.AsNoTracking()
            .Where(s => s.UserId == user.Id)
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Take(100)
            .ToListAsync(ct);
        return TypedResults.Ok(rows.Select(s => new SessionView(
            s.Id, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.RevokedAt, s.RememberMe, s.Ip?.ToString(), s.UserAgent,
            s.RevokedAt is null && s.ExpiresAt > now, s.Id == user.SessionId)).ToList());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeSessionAsync(
        Guid id, HttpContext http, SessionService sessions, AgeparDbContext db, AuditWriter audits,
        IOptions<AuthSessionOptions> sessionOptions, IHostEnvironment environment, CancellationToken ct)
    {
        var user = http.RequireCurrentUser();
        if (!await db.Sessions.AnyAsync(s => s.Id == id && s.UserId == user.Id, ct))
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, ApiProblems.SessionNotFound, "Sessão não encontrada.");
        }

        var wasLive = await sessions.RevokeAsync(id, user.Id, ct);
        var isCurrent = id == user.SessionId;
        if (wasLive)
        {
            audits.Add(db, AuditActions.AuthSessionRevoked, AuditOutcome.Success, objectType: "session", objectId: id.ToString(),
                metadata: new { current = isCurrent });
            await db.SaveChangesAsync(ct);
        }

        if (isCurrent)
        {
            ExpireCookie(http, sessionOptions.Value, environment);
        }

        return TypedResults.NoContent();
    }

    private static LoginResponse ToResponse(User user, IssuedSession session, CpfProtector protector)
    {
        var roles = user.UserRoles.Select(ur => ur.Role!.Name).Order(StringComparer.Ordinal).ToList();
        var isAdmin = user.IsSuperuser || roles.Contains(RoleNames.Admin);
        return new LoginResponse(user.Id, user.Name, user.Email, CpfDisclosure.Own(user, protector), roles, user.IsSuperuser, isAdmin,
            user.MustChangePassword, session.SessionId, session.ExpiresAt, session.CsrfToken);
    }

    private static void SetCookie(HttpContext http, IssuedSession session, AuthSessionOptions options, IHostEnvironment environment)
    {
        var secure = SessionCookie.IsSecure(environment);
        http.Response.Cookies.Append(SessionCookie.Name(options, secure), session.Token,
            SessionCookie.Options(secure, session.RememberMe ? session.ExpiresAt : null));
    }

    private static void ExpireCookie(HttpContext http, AuthSessionOptions options, IHostEnvironment environment)
    {
        var secure = SessionCookie.IsSecure(environment);
        http.Response.Cookies.Delete(SessionCookie.Name(options, secure), SessionCookie.Options(secure, null));
    }
}
