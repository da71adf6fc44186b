using Microsoft.AspNetCore.Authorization;

namespace Agepar.Bff.Auth;

/// <summary>Role checks with the admin/superuser bypass, for endpoints and policies.</summary>
public static class AuthorizationEndpointExtensions
{
    /// <summary>Signed in, password changed, and holding any of <paramref name="roles"/> (admin and superuser always pass).</summary>
    public static TBuilder RequireAnyRole<TBuilder>(this TBuilder builder, params string[] roles)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(new AuthorizationPolicyBuilder(SessionAuthentication.Scheme)
            .RequireAuthenticatedUser()
            .RequireAnyRole(roles)
            .Build());

    /// <summary>Adds "password changed" and "any of <paramref name="roles"/>" (with the admin/superuser bypass).</summary>
    public static AuthorizationPolicyBuilder RequireAnyRole(this AuthorizationPolicyBuilder builder, params string[] roles) =>
        builder.AddRequirements(new PasswordChangedRequirement(), new AnyRoleRequirement(roles));
}
