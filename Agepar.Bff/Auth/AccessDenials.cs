using Agepar.Bff.Audits;
using Agepar.Data;
using Agepar.Data.Audits;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Auth;

/// <summary>
/// Answers a refused request (401/403 ProblemDetails with a <c>code</c>) and records it as <c>auth.access_denied</c>
/// (outcome <c>denied</c>) with the method, path, reason and the caller when known. A 401 for a request that carried
/// a session cookie also expires the cookie.
/// </summary>
internal sealed partial class AccessDenials(
    AuditWriter audits, IOptions<AuthSessionOptions> sessionOptions, IHostEnvironment environment, ILogger<AccessDenials> logger)
{
    public async Task RefuseAsync(HttpContext context, int status, string code, string title, string? detail, object? requirement = null)
    {
        var db = context.RequestServices.GetRequiredService<AgeparDbContext>();
        var endpoint = context.GetEndpoint() as RouteEndpoint;
        audits.Add(db, AuditActions.AuthAccessDenied, AuditOutcome.Denied,
            objectType: "endpoint",
            objectId: $"{context.Request.Method} {endpoint?.RoutePattern.RawText ?? context.Request.Path.Value}",
            metadata: new { status, code, method = context.Request.Method, path = context.Request.Path.Value, requirement });
        await db.SaveChangesAsync(context.RequestAborted);
        LogDenied(context.Request.Method, context.Request.Path.Value ?? "", status, code, context.GetCurrentUser()?.Id);

        if (status == StatusCodes.Status401Unauthorized)
        {
            var secure = SessionCookie.IsSecure(environment);
            var name = SessionCookie.Name(sessionOptions.Value, secure);
            if (context.Request.Cookies.ContainsKey(name))
            {
                context.Response.Cookies.Delete(name, SessionCookie.Options(secure, null));
            }

            context.Response.Headers.WWWAuthenticate = "Session";
        }

        await AuthProblems.Problem(status, code, title, detail).ExecuteAsync(context);
    }

    [LoggerMessage(LogLevel.Information, "Access denied: {Method} {Path} → {Status} {Code} (user {UserId})")]
    private partial void LogDenied(string method, string path, int status, string code, Guid? userId);
}
