namespace Agepar.Data.Auth;

/// <summary>A named permission set (table <c>roles</c>); see <see cref="RoleNames"/> for the seeded names.</summary>
public sealed class Role
{
    /// <summary>Primary key: EF assigns a UUIDv7 when the entity is added; the column default <c>gen_random_uuid()</c> covers SQL inserts. Seeded roles have fixed ids.</summary>
    public Guid Id { get; set; }

    /// <summary>Unique name matching <c>^[a-z0-9_.:-]{2,100}$</c>.</summary>
    public required string Name { get; set; }

    /// <summary>Human-readable description (Portuguese).</summary>
    public string? Description { get; set; }

    /// <summary>Creation time (database default <c>now()</c>).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The users holding this role.</summary>
    public ICollection<UserRole> UserRoles { get; } = [];
}
