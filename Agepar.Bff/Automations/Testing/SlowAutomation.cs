using System.Text.Json;
using System.Text.Json.Nodes;
using Agepar.Bff.Automations.Validation;

namespace Agepar.Bff.Automations.Testing;

/// <summary>
/// Test-only automation (registered only in Development with <c>Automations:EnableTestAutomations=true</c>): its first
/// attempt takes <c>segundos</c> seconds (default 5) before succeeding and later attempts finish at once, like a job
/// that hung in a worker that then died. A test kills the worker process while it holds the lease and watches another
/// replica reclaim and complete the submission. Any signed-in user may use it.
/// </summary>
internal sealed class SlowAutomation : IAutomation
{
    public const string SlugValue = "test-slow";

    public string Slug => SlugValue;

    public string Version => "0.0.1";

    public string Title => "Teste: processamento lento";

    public string Description => "Somente em testes: a primeira tentativa leva N segundos.";

    public IReadOnlyList<string> RequiredRoles { get; } = [];

    public JsonElement InputSchema { get; } = JsonDocument.Parse("""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "additionalProperties": false,
          "properties": { "segundos": { "type": "integer", "minimum": 0, "maximum": 60 } }
        }
        """).RootElement.Clone();

    public AutomationValidation Validate(JsonElement input)
    {
        var errors = new ValidationErrors();
        if (JsonObjectReader.ForRoot(input, errors) is not { } form)
        {
            return AutomationValidation.Invalid(errors.ToDictionary());
        }

        var seconds = form.Integer("segundos", required: false, min: 0, max: 60) ?? 5;
        form.RejectUnknown();
        return errors.IsEmpty
            ? AutomationValidation.Valid(new JsonObject { ["segundos"] = seconds })
            : AutomationValidation.Invalid(errors.ToDictionary());
    }

    public async Task<AutomationOutput> ProcessAsync(AutomationJob job, CancellationToken cancellationToken)
    {
        var seconds = job.Payload.GetProperty("segundos").GetInt32();
        if (job.Attempt == 1)
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        }

        return new AutomationOutput(new JsonObject { ["completedOnAttempt"] = job.Attempt, ["segundos"] = seconds });
    }
}
