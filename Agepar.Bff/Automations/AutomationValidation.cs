using System.Text.Json.Nodes;

namespace Agepar.Bff.Automations;

/// <summary>Outcome of <see cref="IAutomation.Validate"/>: the normalized payload, or the field errors (never both).</summary>
internal sealed record AutomationValidation(JsonObject? Payload, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Payload is not null && Errors.Count == 0;

    public static AutomationValidation Valid(JsonObject payload) => new(payload, new Dictionary<string, string[]>());

    public static AutomationValidation Invalid(IReadOnlyDictionary<string, string[]> errors) => new(null, errors);
}
