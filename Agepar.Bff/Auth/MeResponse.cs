namespace Agepar.Bff.Auth;

/// <summary>The signed-in user: identity, roles (from the database) and flags.</summary>
public sealed record MeResponse(
    Guid Id,
    string Name,
    string Email,
    string? Cpf,
    IReadOnlyList<string> Roles,
    bool IsSuperuser,
    bool IsAdmin,
    bool MustChangePassword,
    Guid SessionId)
{
    public static MeResponse From(CurrentUser user) => new(
        user.Id, user.Name, user.Email, user.Cpf, [.. user.Roles.Order(StringComparer.Ordinal)],
        user.IsSuperuser, user.IsAdmin, user.MustChangePassword, user.SessionId);
}
