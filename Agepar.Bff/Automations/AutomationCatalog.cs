using System.Text.RegularExpressions;
using Agepar.Bff.Auth;

namespace Agepar.Bff.Automations;

/// <summary>Every registered <see cref="IAutomation"/>, by slug. Slugs are checked once, at startup.</summary>
internal sealed partial class AutomationCatalog
{
    private readonly Dictionary<string, IAutomation> _bySlug;

    public AutomationCatalog(IEnumerable<IAutomation> automations)
    {
        _bySlug = new Dictionary<string, IAutomation>(StringComparer.Ordinal);
        foreach (var automation in automations)
        {
            if (!SlugPattern().IsMatch(automation.Slug))
            {
                throw new InvalidOperationException($"Automation slug '{automation.Slug}' must match {SlugPattern()}.");
            }

            if (!_bySlug.TryAdd(automation.Slug, automation))
            {
                throw new InvalidOperationException($"Two automations share the slug '{automation.Slug}'.");
            }
        }

        All = [.. _bySlug.Values.OrderBy(a => a.Slug, StringComparer.Ordinal)];
        Kinds = [.. All.Select(a => a.Slug)];
    }

    /// <summary>Every automation, ordered by slug.</summary>
    public IReadOnlyList<IAutomation> All { get; }

    /// <summary>The slugs this process can run: the worker claims only these kinds.</summary>
    public string[] Kinds { get; }

    public IAutomation? Find(string slug) => _bySlug.GetValueOrDefault(slug);

    /// <summary>True when <paramref name="user"/> may use <paramref name="automation"/> (admin and superuser always may).</summary>
    public static bool CanUse(CurrentUser user, IAutomation automation) =>
        automation.RequiredRoles.Count == 0 || user.HasAnyRole(automation.RequiredRoles);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,49}$")]
    private static partial Regex SlugPattern();
}
