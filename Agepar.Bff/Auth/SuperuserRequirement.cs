using Microsoft.AspNetCore.Authorization;

namespace Agepar.Bff.Auth;

/// <summary><c>users.is_superuser</c>; the admin role is not enough.</summary>
public sealed class SuperuserRequirement : AuthorizationHandler<SuperuserRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SuperuserRequirement requirement)
    {
        if (context.Resource is HttpContext http && http.GetCurrentUser() is { IsSuperuser: true })
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
