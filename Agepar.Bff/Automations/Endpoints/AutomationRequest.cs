using Agepar.Bff.Audits;
using Agepar.Bff.Auth;
using Agepar.Bff.Infrastructure;
using Agepar.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agepar.Bff.Automations.Endpoints;

/// <summary>What every <c>/api/automations/{slug}/…</c> handler needs (bound with <c>[AsParameters]</c>).</summary>
internal sealed record AutomationRequest(
    HttpContext HttpContext,
    AgeparDbContext Db,
    AutomationCatalog Catalog,
    AuditWriter Audits,
    CancellationToken CancellationToken)
{
    public CurrentUser User => HttpContext.RequireCurrentUser();

    /// <summary>The automation, or 404 (unknown slug) / 403 (audited) when the caller may not use it.</summary>
    public async Task<(IAutomation? Automation, ProblemHttpResult? Problem)> AuthorizeAsync(string slug)
    {
        if (Catalog.Find(slug) is not { } automation)
        {
            return (null, ApiProblems.UnknownAutomationProblem(slug));
        }

        if (!AutomationCatalog.CanUse(User, automation))
        {
            // Checked in code (the roles depend on the slug), refused and audited like the auth policies' refusals.
            var denied = await HttpContext.RequestServices.GetRequiredService<AccessDenials>().ForbidAsync(
                HttpContext, ApiProblems.Forbidden, "Você não pode usar esta automação.",
                $"Requer um dos papéis: {string.Join(", ", automation.RequiredRoles)} (ou admin).", new { anyRole = automation.RequiredRoles }, automation.Slug);
            return (null, denied);
        }

        return (automation, null);
    }

    /// <summary>The owner, or an admin/superuser.</summary>
    public bool MaySee(Guid ownerId) => ownerId == User.Id || User.IsAdmin;

    public static string SubmissionUrl(string slug, Guid id) => $"/api/automations/{slug}/submissions/{id}";
}
