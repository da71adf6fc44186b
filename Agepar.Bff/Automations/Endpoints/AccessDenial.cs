using Agepar.Bff.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agepar.Bff.Automations.Endpoints;

/// <summary>
/// 403 for a signed-in user who lacks an automation's role (checked in code: the roles depend on the slug), audited
/// through <see cref="AccessDenials"/> in the same shape as the auth policies' refusals.
/// </summary>
internal static class AccessDenial
{
    public static Task<ProblemHttpResult> DenyAsync(HttpContext httpContext, string? kind, IReadOnlyList<string> requiredRoles, string title) =>
        httpContext.RequestServices.GetRequiredService<AccessDenials>().ForbidAsync(httpContext, AuthProblems.Forbidden, title,
            $"Requires one of the roles: {string.Join(", ", requiredRoles)} (or admin).", new { anyRole = requiredRoles }, kind);
}
