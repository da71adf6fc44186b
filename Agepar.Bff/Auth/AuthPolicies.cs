using Agepar.Data.Auth;
using Microsoft.AspNetCore.Authorization;

namespace Agepar.Bff.Auth;

/// <summary>
/// Authorization policy names, per capability. <c>.RequireAuthorization()</c> with no name is <see cref="Active"/>.
/// The <c>admin</c> role and <c>is_superuser</c> pass every role check, as in the original portal.
/// For a role check of your own use <see cref="AuthorizationEndpointExtensions.RequireAnyRole{TBuilder}"/>
/// (endpoints) or <see cref="CurrentUser.HasAnyRole"/> (code): never ASP.NET's RequireRole, which has no bypass.
/// </summary>
public static class AuthPolicies
{
    /// <summary>Signed in, even if the password must be changed: only /api/me, change-password, logout and csrf.</summary>
    public const string Authenticated = "authenticated";

    /// <summary>Signed in with no pending password change. The default policy.</summary>
    public const string Active = "active";

    /// <summary>The <c>admin</c> role (or superuser).</summary>
    public const string Admin = "admin";

    /// <summary><c>is_superuser</c> only: the admin role is not enough.</summary>
    public const string Superuser = "superuser";

    /// <summary>Manage users: list, create, update, block, roles, password reset. Admin only.</summary>
    public const string ManageUsers = "users.manage";

    /// <summary>Read audits: <c>auditor</c> (or admin).</summary>
    public const string ReadAudits = "audits.read";

    internal static void Configure(AuthorizationOptions options)
    {
        var active = Base().AddRequirements(new PasswordChangedRequirement()).Build();
        options.DefaultPolicy = active;
        options.AddPolicy(Active, active);
        options.AddPolicy(Authenticated, Base().Build());
        options.AddPolicy(Admin, Base().RequireAnyRole(RoleNames.Admin).Build());
        options.AddPolicy(ManageUsers, Base().RequireAnyRole(RoleNames.Admin).Build());
        options.AddPolicy(ReadAudits, Base().RequireAnyRole(RoleNames.Auditor).Build());
        options.AddPolicy(Superuser, Base().AddRequirements(new PasswordChangedRequirement(), new SuperuserRequirement()).Build());
    }

    private static AuthorizationPolicyBuilder Base() =>
        new AuthorizationPolicyBuilder(SessionAuthentication.Scheme).RequireAuthenticatedUser();
}
