using Agepar.Data.Auth;

namespace Agepar.Bff.Control;

/// <summary>
/// Who may read the control panel: admin, superuser, the directorates (daf, dp, dfq, dnr, dre), as in the original
/// portal, and the seeded <c>auditor</c> role ("leitura de auditorias e submissões"). Enforced by the auth policy
/// (<c>RequireAnyRole</c>), which answers 403 ProblemDetails and audits <c>auth.access_denied</c>.
/// </summary>
internal static class ControlPanelAccess
{
    public static string[] Roles { get; } =
        [RoleNames.Daf, RoleNames.Dp, RoleNames.Dfq, RoleNames.Dnr, RoleNames.Dre, RoleNames.Auditor];
}
