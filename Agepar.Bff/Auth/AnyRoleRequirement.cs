using Microsoft.AspNetCore.Authorization;

namespace Agepar.Bff.Auth;

/// <summary>Holds any of <see cref="Roles"/>, or is admin/superuser (<see cref="CurrentUser.HasAnyRole"/>).</summary>
public sealed class AnyRoleRequirement(IReadOnlyList<string> roles) : AuthorizationHandler<AnyRoleRequirement>, IAuthorizationRequirement
{
    public IReadOnlyList<string> Roles { get; } = roles;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AnyRoleRequirement requirement)
    {
        if (context.Resource is HttpContext http && http.GetCurrentUser() is { } user && user.HasAnyRole(requirement.Roles))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    public override string ToString() => $"any role of [{string.Join(", ", Roles)}] (admin and superuser pass)";
}
