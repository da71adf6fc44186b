using System.Text.Json;
using System.Text.Json.Nodes;
using Agepar.Bff.Automations.Validation;

namespace Agepar.Bff.Automations.Testing;

/// <summary>
/// Test-only automation (registered only in Development with <c>Automations:EnableTestAutomations=true</c>): fails
/// on purpose for its first <c>falhas</c> attempts (default: always), so the retry/back-off/error path can be
/// exercised end to end. Any signed-in user may use it.
/// </summary>
internal sealed class FailingAutomation : Automation<FailingInput>
{
    public const string SlugValue = "test-failing";

    public override string Slug => SlugValue;

    public override string Version => "0.0.1";

    public override string Title => "Teste: falha de propósito";

    public override string Description => "Somente em testes: falha nas primeiras N tentativas.";

    public override IReadOnlyList<string> RequiredRoles { get; } = [];

    public override JsonElement InputSchema { get; } = JsonDocument.Parse("""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "additionalProperties": false,
          "properties": { "falhas": { "type": "integer", "minimum": 0, "maximum": 100 } }
        }
        """).RootElement.Clone();

    protected override FailingInput? Read(JsonObjectReader form) =>
        new(form.Integer("falhas", required: false, min: 0, max: 100) ?? 100);

    protected override Task<AutomationOutput> ProcessAsync(FailingInput input, AutomationJob job, CancellationToken cancellationToken)
    {
        var failures = input.Falhas;
        if (job.Attempt <= failures)
        {
            throw new AutomationException($"Falha proposital na tentativa {job.Attempt}.");
        }

        return Task.FromResult(new AutomationOutput(new JsonObject { ["succeededOnAttempt"] = job.Attempt }));
    }
}

/// <summary>The input of test-failing: how many attempts fail.</summary>
internal sealed record FailingInput(int Falhas);
