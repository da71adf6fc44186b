using System.Text.Json;
using System.Text.Json.Nodes;
using Agepar.Bff.Automations.Validation;
using Agepar.Data.Auth;

namespace Agepar.Bff.Automations.Form2Json;

/// <summary>
/// The reference automation (the original portal's form2json 1.0.0): a small form is validated, normalized and
/// returned as a JSON document, downloadable as <c>&lt;nome&gt;_&lt;data&gt;.json</c>.
/// </summary>
internal sealed class Form2JsonAutomation(TimeProvider clock) : IAutomation
{
    public const string SlugValue = "form2json";
    private static readonly string[] Priorities = ["baixa", "media", "alta"];
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string Slug => SlugValue;

    public string Version => "1.0.0";

    public string Title => "Formulário para JSON";

    public string Description => "Automação de referência: valida um formulário e gera o documento JSON normalizado.";

    public IReadOnlyList<string> RequiredRoles { get; } = [RoleNames.AutomationsForm2Json, RoleNames.User];

    public JsonElement InputSchema { get; } = Form2JsonSchema.Schema;

    public AutomationValidation Validate(JsonElement input)
    {
        var errors = new ValidationErrors();
        if (JsonObjectReader.ForRoot(input, errors) is not { } form)
        {
            return AutomationValidation.Invalid(errors.ToDictionary());
        }

        var nome = form.String("nome", required: true, maxLength: 200);
        var email = form.Email("email", required: true);
        var departamento = form.String("departamento", required: false, maxLength: 200);
        var prioridade = form.OneOf("prioridade", required: false, Priorities) ?? "media";
        var data = form.Date("data", required: true);
        var aceitaTermos = form.Boolean("aceitaTermos", required: true);
        if (aceitaTermos == false)
        {
            form.Add("aceitaTermos", "The terms must be accepted.");
        }

        var itens = new JsonArray();
        foreach (var item in form.Objects("itens", minItems: 0, maxItems: 100))
        {
            var descricao = item.String("descricao", required: true, maxLength: 500);
            var quantidade = item.Decimal("quantidade", required: true, min: 0, max: 1_000_000_000, maxDecimals: 3);
            item.RejectUnknown();
            itens.Add(new JsonObject { ["descricao"] = descricao, ["quantidade"] = quantidade });
        }

        form.RejectUnknown();
        if (!errors.IsEmpty)
        {
            return AutomationValidation.Invalid(errors.ToDictionary());
        }

        return AutomationValidation.Valid(new JsonObject
        {
            ["nome"] = nome,
            ["email"] = email,
            ["departamento"] = departamento,
            ["prioridade"] = prioridade,
            ["data"] = data!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["aceitaTermos"] = true,
            ["itens"] = itens,
        });
    }

    public Task<AutomationOutput> ProcessAsync(AutomationJob job, CancellationToken cancellationToken)
    {
        var generatedAt = clock.GetUtcNow();
        var metadata = new JsonObject
        {
            ["engine"] = $"{Slug}@{Version}",
            ["geradoEm"] = generatedAt,
            ["submissionId"] = job.SubmissionId,
            ["actor"] = new JsonObject { ["name"] = job.ActorName, ["email"] = job.ActorEmail },
        };
        var document = JsonNode.Parse(job.Payload.GetRawText())!.AsObject();
        document["metadata"] = metadata;

        var nome = job.Payload.GetProperty("nome").GetString() ?? "";
        var data = job.Payload.GetProperty("data").GetString() ?? "";
        var file = new AutomationFile(
            $"{FileNames.Slugify(nome)}_{data}.json",
            "application/json",
            JsonSerializer.SerializeToUtf8Bytes(document, Indented));

        var result = new JsonObject
        {
            ["engine"] = metadata["engine"]!.DeepClone(),
            ["geradoEm"] = generatedAt,
            ["itens"] = job.Payload.GetProperty("itens").GetArrayLength(),
            ["document"] = document.DeepClone(),
        };
        return Task.FromResult(new AutomationOutput(result, file));
    }
}
