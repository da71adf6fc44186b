using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Agepar.Bff.Automations.Validation;
using Agepar.Data;
using Agepar.Data.Auth;

namespace Agepar.Bff.Automations.Dfd;

/// <summary>
/// Documento de Formalização da Demanda: a purchase request (year, directorate, protocolo, subject, justification,
/// items with Brazilian-format quantities and values) rendered as a PDF. One live DFD per protocolo: the partial
/// unique index <c>ux_submissions_dfd_protocolo</c> enforces it, declared in <see cref="UniqueKeys"/>.
/// </summary>
internal sealed partial class DfdAutomation(TimeProvider clock) : Automation<DfdInput>
{
    public const string SlugValue = "dfd";
    public const string DuplicateProtocolo = "duplicate_protocolo";
    private static readonly string[] Priorities = ["baixa", "media", "alta"];

    public override string Slug => SlugValue;

    public override string Version => "1.0.0";

    public override string Title => "DFD — Documento de Formalização da Demanda";

    public override string Description => "Formaliza uma demanda de contratação e gera o DFD em PDF. Um protocolo só pode ter um DFD ativo.";

    public override IReadOnlyList<string> RequiredRoles { get; } = [RoleNames.Compras];

    public override JsonElement InputSchema { get; } = DfdSchema.Schema;

    /// <summary>One live DFD per protocolo (the partial unique index of the migration DfdProtocoloUnique).</summary>
    public override IReadOnlyList<UniqueKey<DfdInput>> UniqueKeys { get; } =
    [
        new(DatabaseObjects.SubmissionsDfdProtocoloIndex, input => new AutomationConflict(
            DuplicateProtocolo,
            "Protocolo já usado.",
            $"Já existe um DFD não cancelado com o protocolo {input.Protocolo}.",
            new Dictionary<string, object?> { ["protocolo"] = input.Protocolo })),
    ];

    protected override DfdInput? Read(JsonObjectReader form)
    {
        var ano = form.Integer("ano", required: true, min: 2000, max: 2100);
        var diretoria = form.String("diretoria", required: true, maxLength: 120);
        var protocolo = form.String("protocolo", required: true, maxLength: 40)?.ToUpperInvariant();
        if (protocolo is not null && !ProtocoloPattern().IsMatch(protocolo))
        {
            form.Add("protocolo", "Use de 3 a 40 letras, dígitos, '.', '/' ou '-' (ex.: 24.123.456-7).");
            protocolo = null;
        }

        var assunto = form.String("assunto", required: true, maxLength: 300);
        var justificativa = form.String("justificativa", required: true, maxLength: 4000, multiline: true);
        var dataPretendida = form.Date("dataPretendida", required: false);
        var prioridade = form.OneOf("grauPrioridade", required: false, Priorities) ?? "media";

        var itens = new List<DfdItem>();
        var complete = true;
        foreach (var item in form.Objects("itens", minItems: 1, maxItems: 200))
        {
            var descricao = item.String("descricao", required: true, maxLength: 500);
            var unidade = item.String("unidade", required: false, maxLength: 30) ?? "un";
            var quantidade = item.Decimal("quantidade", required: true, min: 0, max: 1_000_000_000, maxDecimals: 3);
            if (quantidade == 0)
            {
                item.Add("quantidade", "Deve ser maior que zero.");
            }

            var valorUnitario = item.Decimal("valorUnitario", required: true, min: 0, max: 1_000_000_000_000, maxDecimals: 2);
            item.RejectUnknown();
            if (descricao is null || quantidade is not > 0 || valorUnitario is not { } v)
            {
                complete = false;
                continue;
            }

            itens.Add(new DfdItem(descricao, unidade, quantidade.Value, v, Math.Round(quantidade.Value * v, 2, MidpointRounding.AwayFromZero)));
        }

        return complete && itens.Count > 0 && ano is { } year && diretoria is not null && protocolo is not null && assunto is not null && justificativa is not null
            ? new DfdInput(year, diretoria, protocolo, assunto, justificativa, dataPretendida, prioridade, itens, itens.Sum(i => i.ValorTotal))
            : null;
    }

    protected override Task<AutomationOutput> ProcessAsync(DfdInput dfd, AutomationJob job, CancellationToken cancellationToken)
    {
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
