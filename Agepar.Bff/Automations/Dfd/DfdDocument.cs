using System.Globalization;
using Agepar.Bff.Automations.Pdf;
using Agepar.Bff.Automations.Validation;

namespace Agepar.Bff.Automations.Dfd;

/// <summary>
/// Lays out the DFD as a PDF: header, identification fields, justification, item table (its header repeated on every
/// page it spans) and signature block.
/// </summary>
internal static class DfdDocument
{
    private const float TableSize = 7.5f;

    // The item table's columns, in points; they add up to the text width (PdfFlowLayout.Width).
    private static readonly PdfColumn[] Columns =
    [
        new(22, AlignRight: true),
        new(185),
        new(40),
        new(66, AlignRight: true),
        new(82, AlignRight: true),
        new(PdfFlowLayout.Width - 395, AlignRight: true),
    ];

    public static byte[] Render(DfdInput dfd, AutomationJob job, string engine, DateTimeOffset generatedAt)
    {
        using var layout = new PdfFlowLayout();
        layout.Paragraph("AGÊNCIA REGULADORA DE SERVIÇOS PÚBLICOS DELEGADOS DO PARANÁ — AGEPAR", PdfFont.Bold, 9);
        layout.Space(6);
        layout.Heading("DOCUMENTO DE FORMALIZAÇÃO DA DEMANDA (DFD)", 15);
        layout.Rule();
        layout.Space(4);

        layout.Field("Protocolo", dfd.Protocolo);
        layout.Field("Ano do PCA", dfd.Ano.ToString(CultureInfo.InvariantCulture));
        layout.Field("Diretoria demandante", dfd.Diretoria);
        layout.Field("Assunto", dfd.Assunto);
        layout.Field("Grau de prioridade", dfd.GrauPrioridade switch { "alta" => "Alta", "baixa" => "Baixa", _ => "Média" });
        layout.Field("Data pretendida", dfd.DataPretendida is { } d ? BrazilianFormats.FormatDate(d) : null);
        layout.Field("Solicitante", $"{job.ActorName} <{job.ActorEmail}>");
        layout.Space(8);

        layout.Heading("1. Justificativa da necessidade", 11);
        layout.Space(2);
        layout.Paragraph(dfd.Justificativa);
        layout.Space(8);

        layout.Heading("2. Itens da demanda", 11);
        layout.Space(2);
        void Header()
        {
            layout.TableRow(Columns, ["Nº", "Descrição", "Unid.", "Quantidade", "Valor unitário", "Valor total"], PdfFont.Bold, TableSize);
            layout.Rule();
        }

        Header();
        for (var i = 0; i < dfd.Itens.Count; i++)
        {
            var item = dfd.Itens[i];
            layout.TableRow(Columns,
            [
                (i + 1).ToString(CultureInfo.InvariantCulture),
                item.Descricao,
                item.Unidade,
                BrazilianFormats.FormatDecimal(item.Quantidade, item.Quantidade == decimal.Truncate(item.Quantidade) ? 0 : 3),
                BrazilianFormats.FormatMoney(item.ValorUnitario),
                BrazilianFormats.FormatMoney(item.ValorTotal),
            ], PdfFont.Regular, TableSize, header: Header);
        }

        layout.Rule();
        layout.TableRow(Columns, ["", "VALOR TOTAL ESTIMADO", "", "", "", BrazilianFormats.FormatMoney(dfd.ValorTotal)], PdfFont.Bold, TableSize);
        layout.Space(28);

        layout.Paragraph("_______________________________________________");
        layout.Paragraph(job.ActorName ?? "Solicitante");
        layout.Paragraph(dfd.Diretoria, PdfFont.Regular, 9);

        var footer = $"Gerado por {engine} em {generatedAt.UtcDateTime.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture)} UTC — submissão {job.SubmissionId}";
        return layout.Build($"DFD {dfd.Protocolo} — {dfd.Assunto}", footer, generatedAt);
    }
}
