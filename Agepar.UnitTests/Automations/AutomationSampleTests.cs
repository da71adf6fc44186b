using System.Reflection;
using System.Text.Json;
using Agepar.Bff.Automations;
using Json.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace Agepar.Tests.Automations;

/// <summary>
/// Every automation's published JSON Schema and its validator must agree on its sample bodies
/// (<c>Agepar.Bff/Automations/&lt;Folder&gt;/&lt;slug&gt;.samples.json</c>): a sample marked valid passes both, one
/// marked invalid fails both, unless its <c>schemaCannotTell</c> explains a rule only the validator checks (then the
/// schema accepts it and the validator must still refuse it). A new automation without samples fails here too.
/// </summary>
public sealed class AutomationSampleTests
{
    private static readonly string SamplesRoot = Path.Combine(AppContext.BaseDirectory, "Samples");

    public static TheoryData<string> Automations()
    {
        var data = new TheoryData<string>();
        foreach (var type in AutomationTypes())
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Fact]
    public void Every_automation_class_is_found() =>
        Assert.Contains(typeof(Agepar.Bff.Automations.Dfd.DfdAutomation), AutomationTypes());

    [Theory]
    [MemberData(nameof(Automations))]
    public void Schema_and_validator_agree_on_every_sample(string typeName)
    {
        var automation = Create(AutomationTypes().Single(t => t.FullName == typeName));
        var schema = JsonSchema.Build(automation.InputSchema, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        var evaluation = new EvaluationOptions { RequireFormatValidation = true };

        var samples = LoadSamples(automation);
        Assert.Contains(samples, s => s.Valid);
        Assert.Contains(samples, s => !s.Valid);

        var disagreements = new List<string>();
        foreach (var sample in samples)
        {
            var validation = automation.Validate(sample.Body);
            var schemaValid = schema.Evaluate(sample.Body, evaluation).IsValid;
            var expectedBySchema = sample.SchemaCannotTell is null ? sample.Valid : !sample.Valid;
            if (validation.IsValid != sample.Valid)
            {
                disagreements.Add($"'{sample.Name}': validator says {(validation.IsValid ? "valid" : "invalid: " + string.Join("; ", validation.Errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}")))}");
            }

            if (schemaValid != expectedBySchema)
            {
                disagreements.Add($"'{sample.Name}': schema says {(schemaValid ? "valid" : "invalid")}, expected {(expectedBySchema ? "valid" : "invalid")}");
            }

            if (sample.SchemaCannotTell is not null && sample.Valid)
            {
                disagreements.Add($"'{sample.Name}': schemaCannotTell is only for samples the validator refuses");
            }

            // The canonical payload is what the worker reads back: read into the input record and written again,
            // it must not change (no field lost, renamed or reformatted between submit and processing).
            if (validation.IsValid)
            {
                using var stored = JsonDocument.Parse(validation.Payload!.ToJsonString());
                var input = automation.GetType().GetMethod("ReadPayload")!.Invoke(automation, [stored.RootElement])!;
                var rewritten = JsonSerializer.Serialize(input, input.GetType(), Automation<object>.PayloadJson);
                if (rewritten != validation.Payload.ToJsonString())
                {
                    disagreements.Add($"'{sample.Name}': the stored payload reads back as {rewritten}");
                }
            }
        }

        Assert.True(disagreements.Count == 0, $"{automation.Slug}:\n" + string.Join("\n", disagreements));
    }

    private static IReadOnlyList<Type> AutomationTypes() =>
    [
        .. typeof(IAutomation).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IAutomation).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal),
    ];

    private static IAutomation Create(Type type)
    {
        using var services = new ServiceCollection().AddSingleton(TimeProvider.System).BuildServiceProvider();
        return (IAutomation)ActivatorUtilities.CreateInstance(services, type);
    }

    /// <summary>The samples next to the automation: Automations/&lt;namespace folder&gt;/&lt;slug&gt;.samples.json.</summary>
    private static List<Sample> LoadSamples(IAutomation automation)
    {
        var folder = automation.GetType().Namespace!["Agepar.Bff.Automations.".Length..].Replace('.', Path.DirectorySeparatorChar);
        var path = Path.Combine(SamplesRoot, folder, $"{automation.Slug}.samples.json");
        Assert.True(File.Exists(path), $"{automation.Slug} has no samples: add Agepar.Bff/Automations/{folder}/{automation.Slug}.samples.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return
        [
            .. document.RootElement.GetProperty("samples").EnumerateArray().Select(s => new Sample(
                s.GetProperty("name").GetString()!,
                s.GetProperty("valid").GetBoolean(),
                s.TryGetProperty("schemaCannotTell", out var why) ? why.GetString() : null,
                s.GetProperty("body").Clone())),
        ];
    }

    private sealed record Sample(string Name, bool Valid, string? SchemaCannotTell, JsonElement Body);
}
