namespace Agepar.Bff.Automations.Endpoints;

/// <summary>One automation of <c>GET /api/automations</c>, with the URLs of its contract.</summary>
internal sealed record CatalogEntry(
    string Slug,
    string Version,
    string Title,
    string Description,
    IReadOnlyList<string> RequiredRoles,
    string SchemaUrl,
    string SubmitUrl,
    string SubmissionsUrl);
