using Agepar.Data.Auth;
using Agepar.Data.Protection;

namespace Agepar.Bff.Auth;

/// <summary>
/// The authenticated caller of this request, loaded from the database (through the Redis session cache) — never
/// from the cookie. Set by the session authentication handler; read it with <see cref="CurrentUserExtensions"/>.
/// </summary>
/// <param name="Id">users.id</param>
/// <param name="SessionId">sessions.id of the cookie that authenticated this request.</param>
/// <param name="Name">Display name.</param>
/// <param name="Email">E-mail (login identifier).</param>
/// <param name="Cpf">The user's CPF as stored (ciphertext and blind index), if any: copied into submissions and audits
/// as it is, decrypted only to show it to the user (<see cref="CpfDisclosure"/>).</param>
/// <param name="Roles">Role names granted in user_roles.</param>
/// <param name="IsSuperuser">users.is_superuser: bypasses every role check.</param>
/// <param name="MustChangePassword">When true the user may only reach /api/me, change-password and logout.</param>
public sealed record CurrentUser(
    Guid Id,
    Guid SessionId,
    string Name,
    string Email,
    SealedCpf? Cpf,
    IReadOnlySet<string> Roles,
    bool IsSuperuser,
    bool MustChangePassword)
{
    /// <summary>The <c>admin</c> role or superuser: bypasses role checks, as in the original portal.</summary>
    public bool IsAdmin => IsSuperuser || Roles.Contains(RoleNames.Admin);

    /// <summary>True when the user is admin/superuser or holds any of <paramref name="roles"/>.</summary>
    public bool HasAnyRole(IEnumerable<string> roles) => IsAdmin || roles.Any(Roles.Contains);
}

public static class CurrentUserExtensions
{
    /// <summary>The authenticated user of this request, or null when anonymous.</summary>
    public static CurrentUser? GetCurrentUser(this HttpContext context) => context.Features.Get<CurrentUser>();

    /// <summary>The authenticated user; throws when called on an endpoint that does not require authentication.</summary>
    public static CurrentUser RequireCurrentUser(this HttpContext context) =>
        context.GetCurrentUser() ?? throw new InvalidOperationException("This endpoint must require authorization.");
}
