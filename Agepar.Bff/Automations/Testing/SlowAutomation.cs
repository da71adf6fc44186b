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
internal sealed class SlowAutomation : Automation<SlowInput>
{
    public const string SlugValue = "test-slow";

    public override string Slug => SlugValue;

    public override string Version => "0.0.1";

    public override string Title => "Teste: processamento lento";

    public override string Description => "Somente em testes: a primeira tentativa leva N segundos.";

    public override IReadOnlyList<string> RequiredRoles { get; } = [];

    public override JsonElement InputSchema { get; } = JsonDocument.Parse("""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "additionalProperties": false,
          "properties": { "segundos": { "type": "integer", "minimum": 0, "maximum": 60 } }
        }
        """).RootElement.Clone();

    protected override SlowInput? Read(JsonObjectReader form) =>
        new(form.Integer("segundos", required: false, min: 0, max: 60) ?? 5);

    protected override async Task<AutomationOutput> ProcessAsync(SlowInput input, AutomationJob job, CancellationToken cancellationToken)
    {
        var seconds = input.Segundos;
        if (job.Attempt == 1)
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        }

        return new AutomationOutput(new JsonObject { ["completedOnAttempt"] = job.Attempt, ["segundos"] = seconds });
    }
}

/// <summary>The input of test-slow: how long the first attempt takes.</summary>
internal sealed record SlowInput(int Segundos);
