using Agepar.Bff.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Agepar.Bff.Auth;

/// <summary>Every authorization refusal becomes a 401/403 ProblemDetails and an <c>auth.access_denied</c> audit.</summary>
internal sealed class AuditingAuthorizationResultHandler(AccessDenials denials) : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await next(context);
            return;
        }

        if (authorizeResult.Challenged || context.GetCurrentUser() is null)
        {
            await denials.RefuseAsync(context, StatusCodes.Status401Unauthorized, ApiProblems.Unauthenticated,
                "Authentication required.", "Sign in: there is no session, or it expired or was revoked.");
            return;
        }

        var failed = authorizeResult.AuthorizationFailure?.FailedRequirements.ToList() ?? [];
        if (failed.OfType<PasswordChangedRequirement>().Any())
        {
            await denials.RefuseAsync(context, StatusCodes.Status403Forbidden, ApiProblems.PasswordChangeRequired,
                "Password change required.", "Change your password (POST /api/auth/change-password) before using the portal.");
            return;
        }

        await denials.RefuseAsync(context, StatusCodes.Status403Forbidden, ApiProblems.Forbidden,
            "Access denied.", "Your roles do not allow this action.",
            string.Join("; ", failed.Select(r => r.ToString())));
    }
}
