namespace Agepar.Data.Auth;

/// <summary>A person who can sign in to the portal (table <c>users</c>).</summary>
public sealed class User
{
    /// <summary>Primary key: EF assigns a UUIDv7 when the entity is added; the column default <c>gen_random_uuid()</c> covers SQL inserts.</summary>
    public Guid Id { get; set; }

    /// <summary>The CPF encrypted (<see cref="Protection.CpfProtector"/>); <see langword="null"/> when unknown.</summary>
    public byte[]? CpfEncrypted { get; set; }

    /// <summary>The CPF's blind index (HMAC-SHA256 of the 11 digits), unique; what sign-in and uniqueness use.</summary>
    public byte[]? CpfHmac { get; set; }

    /// <summary>E-mail address, unique ignoring case (<c>citext</c>).</summary>
    public required string Email { get; set; }

    /// <summary>Display name.</summary>
    public required string Name { get; set; }

    /// <summary>Password hash as a PHC string (e.g. <c>$argon2id$...</c>); <see langword="null"/> when the user has no local password.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>Account status, one of <see cref="UserStatus"/>.</summary>
    public string Status { get; set; } = UserStatus.Active;

    /// <summary>Bypasses every role check.</summary>
    public bool IsSuperuser { get; set; }

    /// <summary>The user must change the password before using anything else.</summary>
    public bool MustChangePassword { get; set; }

    /// <summary>Time of the last successful login.</summary>
    public DateTimeOffset? LastLoginAt { get; set; }

    /// <summary>Creation time (database default <c>now()</c>).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last update time, maintained by the <c>set_updated_at()</c> trigger and read back after each save.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The user's role grants.</summary>
    public ICollection<UserRole> UserRoles { get; } = [];

    /// <summary>The user's server-side sessions.</summary>
    public ICollection<Session> Sessions { get; } = [];
}
