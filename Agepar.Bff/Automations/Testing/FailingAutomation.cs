using System.Text.Json;
using System.Text.Json.Nodes;
using Agepar.Bff.Automations.Validation;

namespace Agepar.Bff.Automations.Testing;

/// <summary>
/// Test-only automation (registered only in Development with <c>Automations:EnableTestAutomations=true</c>): fails
/// on purpose for its first <c>falhas</c> attempts (default: always), so the retry/back-off/error path can be
/// exercised end to end. Any signed-in user may use it.
/// </summary>
internal sealed class FailingAutomation : IAutomation
{
    public const string SlugValue = "test-failing";

    public string Slug => SlugValue;

    public string Version => "0.0.1";

    public string Title => "Teste: falha de propósito";

    public string Description => "Somente em testes: falha nas primeiras N tentativas.";

    public IReadOnlyList<string> RequiredRoles { get; } = [];

    public JsonElement InputSchema { get; } = JsonDocument.Parse("""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "additionalProperties": false,
          "properties": { "falhas": { "type": "integer", "minimum": 0, "maximum": 100 } }
        }
        """).RootElement.Clone();

    public AutomationValidation Validate(JsonElement input)
    {
        var errors = new ValidationErrors();
        if (JsonObjectReader.ForRoot(input, errors) is not { } form)
        {
            return AutomationValidation.Invalid(errors.ToDictionary());
        }

        var failures = form.Integer("falhas", required: false, min: 0, max: 100) ?? 100;
        form.RejectUnknown();
        return errors.IsEmpty
            ? AutomationValidation.Valid(new JsonObject { ["falhas"] = failures })
            : AutomationValidation.Invalid(errors.ToDictionary());
    }

    public Task<AutomationOutput> ProcessAsync(AutomationJob job, CancellationToken cancellationToken)
    {
        var failures = job.Payload.GetProperty("falhas").GetInt32();
        if (job.Attempt <= failures)
        {
            throw new AutomationException($"Falha proposital na tentativa {job.Attempt}.");
        }

        return Task.FromResult(new AutomationOutput(new JsonObject { ["succeededOnAttempt"] = job.Attempt }));
    }
}
