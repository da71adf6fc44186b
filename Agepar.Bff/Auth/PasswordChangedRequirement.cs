using Microsoft.AspNetCore.Authorization;

namespace Agepar.Bff.Auth;

/// <summary>The user has no pending forced password change (<c>users.must_change_password</c> is false).</summary>
public sealed class PasswordChangedRequirement : AuthorizationHandler<PasswordChangedRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PasswordChangedRequirement requirement)
    {
        if (context.Resource is HttpContext http && http.GetCurrentUser() is { MustChangePassword: false })
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
