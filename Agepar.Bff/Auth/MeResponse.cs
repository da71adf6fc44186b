using Agepar.Data.Protection;

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
    /// <summary>The user's own CPF, in clear (they may always see it).</summary>
    public static MeResponse From(CurrentUser user, CpfProtector protector) => new(
        user.Id, user.Name, user.Email, user.Cpf is { } cpf ? protector.Unprotect(cpf) : null, [.. user.Roles.Order(StringComparer.Ordinal)],
        user.IsSuperuser, user.IsAdmin, user.MustChangePassword, user.SessionId);
}
