using System.Net;
using Agepar.Bff.Audits;
using Agepar.Bff.Infrastructure;
using Agepar.Data;
using Agepar.Data.Audits;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Auth;

/// <summary>
/// The one place a refused request is answered and audited: a 401/403 ProblemDetails with a <c>code</c>, recorded as
/// <c>auth.access_denied</c> (outcome <c>denied</c>) with the method, path, reason and the caller when known. Rows
/// are aggregated per (client IP, reason) for anonymous callers and per (client IP, user, reason, endpoint) for
/// signed-in ones by <see cref="DenialAuditAggregator"/>, so a flood of refusals writes
/// a bounded number of rows, each with its <c>metadata.count</c>. A 401 for a request that carried a session cookie
/// also expires the cookie.
/// </summary>
internal sealed partial class AccessDenials(
    AuditWriter audits, DenialAuditAggregator aggregator, AuthMetrics metrics, IOptions<AuthSessionOptions> sessionOptions, IHostEnvironment environment,
    ILogger<AccessDenials> logger)
{
    /// <summary>Writes the refusal to the response (middleware and authorization handlers).</summary>
    public async Task RefuseAsync(HttpContext context, int status, string code, string title, string? detail, object? requirement = null)
    {
        await AuditAsync(context, status, code, requirement);
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

        await ApiProblems.Problem(status, code, title, detail).ExecuteAsync(context);
    }

    /// <summary>Audits a 403 decided inside an endpoint and returns its ProblemDetails for the endpoint to answer.</summary>
    public async Task<ProblemHttpResult> ForbidAsync(HttpContext context, string code, string title, string detail, object? requirement, string? kind = null)
    {
        await AuditAsync(context, StatusCodes.Status403Forbidden, code, requirement, kind);
        return ApiProblems.Problem(StatusCodes.Status403Forbidden, code, title, detail);
    }

    private async Task AuditAsync(HttpContext context, int status, string code, object? requirement, string? kind = null)
    {
        var user = context.GetCurrentUser();
        var endpoint = $"{context.Request.Method} {(context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value}";
        var path = context.Request.Path.Value ?? "";
        LogDenied(context.Request.Method, path, status, code, user?.Id);
        metrics.Denied(status, code);

        var sample = new DenialSample(status, context.Request.Method, path, endpoint, StorableText.UserAgent(context), kind, requirement);
        var key = new DenialAuditAggregator.DenialKey(LoginRateLimiter.ClientIp(context)?.ToString() ?? "", user?.Id, code, user is null ? null : endpoint);
        var count = aggregator.Claim(key, sample);
        if (count == 0)
        {
            return; // counted; the next summary row carries it
        }

        // The refusal is the whole answer: nothing else this request staged may be saved with its audit.
        var db = context.RequestServices.GetRequiredService<AgeparDbContext>();
        db.ChangeTracker.Clear();
        audits.Add(db, AuditActions.AuthAccessDenied, AuditOutcome.Denied, kind: kind, objectType: "endpoint", objectId: endpoint,
            metadata: new { status, code, method = context.Request.Method, path, requirement, count });
        await db.SaveChangesAsync(context.RequestAborted);
    }

    /// <summary>Writes the summary rows that are due (the flusher's job); returns how many refusals they stand for.</summary>
    public static async Task<long> WriteSummariesAsync(AgeparDbContext db, AuditWriter audits, IReadOnlyList<DenialSummary> due, CancellationToken ct)
    {
        long total = 0;
        foreach (var summary in due)
        {
            var last = summary.Last;
            var audit = audits.Add(db, AuditActions.AuthAccessDenied, AuditOutcome.Denied, kind: last.Kind, objectType: "endpoint", objectId: last.Endpoint,
                metadata: new
                {
                    status = last.Status,
                    code = summary.Key.Code,
                    method = last.Method,
                    path = last.Path,
                    requirement = last.Requirement,
                    count = summary.Count,
                    aggregated = true,
                    firstAt = summary.FirstAt,
                    lastAt = summary.LastAt,
                });
            audit.Ip = IPAddress.TryParse(summary.Key.Ip, out var ip) ? ip : null;
            audit.ActorUserId = summary.Key.UserId;
            audit.UserAgent = last.UserAgent;
            total += summary.Count;
        }

        await db.SaveChangesAsync(ct);
        return total;
    }

    [LoggerMessage(LogLevel.Information, "Access denied: {Method} {Path} → {Status} {Code} (user {UserId})")]
    private partial void LogDenied(string method, string path, int status, string code, Guid? userId);
}
