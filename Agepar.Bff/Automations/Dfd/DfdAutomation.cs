using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Agepar.Bff.Automations.Validation;
using Agepar.Data.Auth;

namespace Agepar.Bff.Automations.Dfd;

/// <summary>
/// Documento de Formalização da Demanda: a purchase request (year, directorate, protocolo, subject, justification,
/// items with Brazilian-format quantities and values) rendered as a PDF. One live DFD per protocolo: the partial
/// unique index <c>ux_submissions_dfd_protocolo</c> enforces it, so the protocolo is normalized (trimmed, upper case)
/// before it is stored.
/// </summary>
internal sealed partial class DfdAutomation(TimeProvider clock) : IAutomation
{
    public const string SlugValue = "dfd";
    private static readonly string[] Priorities = ["baixa", "media", "alta"];

    public string Slug => SlugValue;

    public string Version => "1.0.0";

    public string Title => "DFD — Documento de Formalização da Demanda";

    public string Description => "Formaliza uma demanda de contratação e gera o DFD em PDF. Um protocolo só pode ter um DFD ativo.";

    public IReadOnlyList<string> RequiredRoles { get; } = [RoleNames.Compras];

    public JsonElement InputSchema { get; } = DfdSchema.Schema;

    public AutomationValidation Validate(JsonElement input)
    {
        var errors = new ValidationErrors();
        if (JsonObjectReader.ForRoot(input, errors) is not { } form)
        {
            return AutomationValidation.Invalid(errors.ToDictionary());
        }

        var ano = form.Integer("ano", required: true, min: 2000, max: 2100);
        var diretoria = form.String("diretoria", required: true, maxLength: 120);
        var protocolo = form.String("protocolo", required: true, maxLength: 40)?.ToUpperInvariant();
        if (protocolo is not null && !ProtocoloPattern().IsMatch(protocolo))
        {
            form.Add("protocolo", "Use 3 to 40 letters, digits, '.', '/' or '-' (e.g. 24.123.456-7).");
        }

        var assunto = form.String("assunto", required: true, maxLength: 300);
        var justificativa = form.String("justificativa", required: true, maxLength: 4000, multiline: true);
        var dataPretendida = form.Date("dataPretendida", required: false);
        var prioridade = form.OneOf("grauPrioridade", required: false, Priorities) ?? "media";

        var itens = new JsonArray();
        var total = 0m;
        foreach (var item in form.Objects("itens", minItems: 1, maxItems: 200))
        {
            var descricao = item.String("descricao", required: true, maxLength: 500);
            var unidade = item.String("unidade", required: false, maxLength: 30) ?? "un";
            var quantidade = item.Decimal("quantidade", required: true, min: 0, max: 1_000_000_000, maxDecimals: 3);
            if (quantidade == 0)
            {
                item.Add("quantidade", "Must be greater than zero.");
            }

            var valorUnitario = item.Decimal("valorUnitario", required: true, min: 0, max: 1_000_000_000_000, maxDecimals: 2);
            item.RejectUnknown();
            var valorTotal = quantidade is { } q && valorUnitario is { } v ? Math.Round(q * v, 2, MidpointRounding.AwayFromZero) : 0;
            total += valorTotal;
            itens.Add(new JsonObject
            {
                ["descricao"] = descricao,
                ["unidade"] = unidade,
                ["quantidade"] = quantidade,
                ["valorUnitario"] = valorUnitario,
                ["valorTotal"] = valorTotal,
            });
        }

        form.RejectUnknown();
        if (!errors.IsEmpty)
        {
            return AutomationValidation.Invalid(errors.ToDictionary());
        }

        return AutomationValidation.Valid(new JsonObject
        {
            ["ano"] = ano,
            ["diretoria"] = diretoria,
            ["protocolo"] = protocolo,
            ["assunto"] = assunto,
            ["justificativa"] = justificativa,
            ["dataPretendida"] = dataPretendida?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["grauPrioridade"] = prioridade,
            ["itens"] = itens,
            ["valorTotal"] = total,
        });
    }

    public Task<AutomationOutput> ProcessAsync(AutomationJob job, CancellationToken cancellationToken)
    {
        var dfd = DfdData.From(job.Payload);
        var generatedAt = clock.GetUtcNow();
        var pdf = DfdDocument.Render(dfd, job, $"{Slug}@{Version}", generatedAt);
        var fileName = $"dfd_{FileNames.Slugify(dfd.Diretoria, 30)}_{FileNames.Slugify(dfd.Protocolo, 40)}_{generatedAt:yyyyMMdd}.pdf";

        var result = new JsonObject
        {
            ["engine"] = $"{Slug}@{Version}",
            ["geradoEm"] = generatedAt,
            ["protocolo"] = dfd.Protocolo,
            ["assunto"] = dfd.Assunto,
            ["itens"] = dfd.Itens.Count,
            ["valorTotal"] = dfd.ValorTotal,
        };
        return Task.FromResult(new AutomationOutput(result, new AutomationFile(fileName, "application/pdf", pdf)));
    }

    [GeneratedRegex("^[0-9A-Z][0-9A-Z./-]{2,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex ProtocoloPattern();
}
