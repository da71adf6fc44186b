using System.Text.Json;

namespace Agepar.Bff.Automations.Endpoints;

/// <summary><c>GET /api/automations/{slug}/schema</c>: the automation's JSON Schema and identity.</summary>
internal sealed record AutomationSchemaResponse(string Kind, string Version, string Title, string Description, JsonElement Schema);
