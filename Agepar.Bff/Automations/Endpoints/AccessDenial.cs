using Agepar.Bff.Audits;
using Agepar.Bff.Auth;
using Agepar.Data;
using Agepar.Data.Audits;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agepar.Bff.Automations.Endpoints;

/// <summary>
/// 403 for a signed-in user who lacks an automation's role (checked in code: the roles depend on the slug), audited
/// as <c>auth.access_denied</c> in the same shape as the auth policies' refusals.
/// </summary>
internal static class AccessDenial
{
    public static async Task<ProblemHttpResult> DenyAsync(
        HttpContext httpContext, string? kind, IReadOnlyList<string> requiredRoles, string title, CancellationToken cancellationToken)
    {
        var db = httpContext.RequestServices.GetRequiredService<AgeparDbContext>();
        var audits = httpContext.RequestServices.GetRequiredService<AuditWriter>();
        var endpoint = httpContext.GetEndpoint() as RouteEndpoint;
        db.ChangeTracker.Clear();
        audits.Add(db, AuditActions.AuthAccessDenied, AuditOutcome.Denied, kind: kind, objectType: "endpoint",
            objectId: $"{httpContext.Request.Method} {endpoint?.RoutePattern.RawText ?? httpContext.Request.Path.Value}",
            metadata: new
            {
                status = StatusCodes.Status403Forbidden,
                code = AuthProblems.Forbidden,
                method = httpContext.Request.Method,
                path = httpContext.Request.Path.Value,
                requirement = new { anyRole = requiredRoles },
            });
        await db.SaveChangesAsync(cancellationToken);
        return AuthProblems.Problem(StatusCodes.Status403Forbidden, AuthProblems.Forbidden, title,
            $"Requires one of the roles: {string.Join(", ", requiredRoles)} (or admin).");
    }
}
