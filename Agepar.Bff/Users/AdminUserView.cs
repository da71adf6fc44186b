namespace Agepar.Bff.Users;

/// <summary>A user as administrators see it (never the password hash: only whether one is set).</summary>
public sealed record AdminUserView(
    Guid Id,
    string Name,
    string Email,
    string? Cpf,
    string Status,
    bool IsSuperuser,
    bool MustChangePassword,
    bool HasPassword,
    IReadOnlyList<string> Roles,
    DateTimeOffset? LastLoginAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
