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
                "Autenticação necessária.", "Entre no portal: não há sessão, ou ela expirou ou foi revogada.");
            return;
        }

        var failed = authorizeResult.AuthorizationFailure?.FailedRequirements.ToList() ?? [];
        if (failed.OfType<PasswordChangedRequirement>().Any())
        {
            await denials.RefuseAsync(context, StatusCodes.Status403Forbidden, ApiProblems.PasswordChangeRequired,
                "Troca de senha obrigatória.", "Troque sua senha (POST /api/auth/change-password) antes de usar o portal.");
            return;
        }

        await denials.RefuseAsync(context, StatusCodes.Status403Forbidden, ApiProblems.Forbidden,
            "Acesso negado.", "Seus papéis não permitem esta ação.",
            string.Join("; ", failed.Select(r => r.ToString())));
    }
}
