using System.Text.Json;
using System.Text.Json.Nodes;
using Agepar.Bff.Automations.Validation;
using Agepar.Data.Auth;

namespace Agepar.Bff.Automations.Form2Json;

/// <summary>
/// The reference automation (the original portal's form2json 1.0.0): a small form is validated, normalized and
/// returned as a JSON document, downloadable as <c>&lt;nome&gt;_&lt;data&gt;.json</c>.
/// </summary>
internal sealed class Form2JsonAutomation(TimeProvider clock) : Automation<Form2JsonInput>
{
    public const string SlugValue = "form2json";
    private static readonly string[] Priorities = ["baixa", "media", "alta"];
    private static readonly JsonSerializerOptions Indented = new(PayloadJson) { WriteIndented = true };

    public override string Slug => SlugValue;

    public override string Version => "1.0.0";

    public override string Title => "Formulário para JSON";

    public override string Description => "Automação de referência: valida um formulário e gera o documento JSON normalizado.";

    public override IReadOnlyList<string> RequiredRoles { get; } = [RoleNames.AutomationsForm2Json, RoleNames.User];

    public override JsonElement InputSchema { get; } = Form2JsonSchema.Schema;

    protected override Form2JsonInput? Read(JsonObjectReader form)
    {
        var nome = form.String("nome", required: true, maxLength: 200);
        var email = form.Email("email", required: true);
        var departamento = form.String("departamento", required: false, maxLength: 200);
        var prioridade = form.OneOf("prioridade", required: false, Priorities) ?? "media";
        var data = form.Date("data", required: true);
        var aceitaTermos = form.Boolean("aceitaTermos", required: true);
        if (aceitaTermos == false)
        {
            form.Add("aceitaTermos", "Os termos devem ser aceitos.");
        }

        var itens = new List<Form2JsonItem>();
        var complete = true;
        foreach (var item in form.Objects("itens", minItems: 0, maxItems: 100))
        {
            var descricao = item.String("descricao", required: true, maxLength: 500);
            var quantidade = item.Decimal("quantidade", required: true, min: 0, max: 1_000_000_000, maxDecimals: 3);
            item.RejectUnknown();
            if (descricao is null || quantidade is not { } q)
            {
                complete = false;
                continue;
            }

            itens.Add(new Form2JsonItem(descricao, q));
        }

        return complete && nome is not null && email is not null && data is { } day && aceitaTermos == true
            ? new Form2JsonInput(nome, email, departamento, prioridade, day, AceitaTermos: true, itens)
            : null;
    }

    protected override Task<AutomationOutput> ProcessAsync(Form2JsonInput input, AutomationJob job, CancellationToken cancellationToken)
    {
        var generatedAt = clock.GetUtcNow();
        var metadata = new JsonObject
        {
            ["engine"] = $"{Slug}@{Version}",
            ["geradoEm"] = generatedAt,
            ["submissionId"] = job.SubmissionId,
            ["actor"] = new JsonObject { ["name"] = job.ActorName, ["email"] = job.ActorEmail },
        };
        var document = JsonSerializer.SerializeToNode(input, PayloadJson)!.AsObject();
        document["metadata"] = metadata;

        var file = new AutomationFile(
            $"{FileNames.Slugify(input.Nome)}_{input.Data:yyyy-MM-dd}.json",
            "application/json",
            JsonSerializer.SerializeToUtf8Bytes(document, Indented));

        var result = new JsonObject
        {
            ["engine"] = metadata["engine"]!.DeepClone(),
            ["geradoEm"] = generatedAt,
            ["itens"] = input.Itens.Count,
            ["document"] = document.DeepClone(),
        };
        return Task.FromResult(new AutomationOutput(result, file));
    }
}
