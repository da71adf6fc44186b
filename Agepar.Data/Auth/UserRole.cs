namespace Agepar.Data.Auth;

/// <summary>A role granted to a user (table <c>user_roles</c>, key (user_id, role_id)).</summary>
public sealed class UserRole
{
    /// <summary>The user holding the role.</summary>
    public Guid UserId { get; set; }

    /// <summary>The granted role.</summary>
    public Guid RoleId { get; set; }

    /// <summary>Time of the grant (database default <c>now()</c>).</summary>
    public DateTimeOffset GrantedAt { get; set; }

    /// <summary>Navigation to the user.</summary>
    public User? User { get; set; }

    /// <summary>Navigation to the role.</summary>
    public Role? Role { get; set; }
}
