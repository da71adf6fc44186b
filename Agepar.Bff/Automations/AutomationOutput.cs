using System.Text.Json.Nodes;

namespace Agepar.Bff.Automations;

/// <summary>What an automation produced: a JSON result (stored in <c>submissions.result</c>) and an optional file.</summary>
internal sealed record AutomationOutput(JsonObject Result, AutomationFile? File = null);
