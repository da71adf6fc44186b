using System.Text.Json.Nodes;

namespace Agepar.Bff.Automations;

/// <summary>
/// Outcome of <see cref="IAutomation.Validate"/>: the typed input and its canonical payload (what is stored in
/// <c>submissions.payload</c> and hashed for Idempotency-Key), or the field errors (never both).
/// </summary>
internal sealed record AutomationValidation(object? Input, JsonObject? Payload, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Input is not null && Payload is not null && Errors.Count == 0;

    public static AutomationValidation Invalid(IReadOnlyDictionary<string, string[]> errors) => new(null, null, errors);
}

/// <summary>The typed form of <see cref="AutomationValidation"/>, returned by <see cref="Automation{TInput}.Validate(System.Text.Json.JsonElement)"/>.</summary>
internal sealed record AutomationValidation<TInput>(TInput? Input, JsonObject? Payload, IReadOnlyDictionary<string, string[]> Errors)
    where TInput : class
{
    public bool IsValid => Input is not null && Payload is not null && Errors.Count == 0;

    public AutomationValidation Untyped() => new(Input, Payload, Errors);
}
