using System.Globalization;
using Agepar.Bff.Automations.Pdf;
using Agepar.Bff.Automations.Validation;

namespace Agepar.Bff.Automations.Dfd;

/// <summary>Lays out the DFD as a PDF: header, identification fields, justification, item table and signature block.</summary>
internal static class DfdDocument
{
    private const float TableSize = 7.5f;

    // Column widths of the item table, in characters of the fixed-width font.
    private const int NumberWidth = 3;
    private const int DescriptionWidth = 40;
    private const int UnitWidth = 6;
    private const int QuantityWidth = 13;
    private const int UnitValueWidth = 18;
    private const int TotalWidth = 19;

    public static byte[] Render(DfdData dfd, AutomationJob job, string engine, DateTimeOffset generatedAt)
    {
        var layout = new PdfFlowLayout();
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
        layout.Line(Row("Nº", "Descrição", "Unid.", "Quantidade", "Valor unitário", "Valor total"), PdfFont.Mono, TableSize);
        layout.Rule();
        for (var i = 0; i < dfd.Itens.Count; i++)
        {
            var item = dfd.Itens[i];
            var description = PdfFlowLayout.Wrap(item.Descricao, PdfFont.Mono, TableSize, DescriptionWidth * 0.6f * TableSize);
            layout.Line(Row(
                (i + 1).ToString(CultureInfo.InvariantCulture),
                description[0],
                item.Unidade,
                BrazilianFormats.FormatDecimal(item.Quantidade, item.Quantidade == decimal.Truncate(item.Quantidade) ? 0 : 3),
                BrazilianFormats.FormatMoney(item.ValorUnitario),
                BrazilianFormats.FormatMoney(item.ValorTotal)), PdfFont.Mono, TableSize);
            foreach (var continuation in description.Skip(1))
            {
                layout.Line(Row("", continuation, "", "", "", ""), PdfFont.Mono, TableSize);
            }
        }

        layout.Rule();
        layout.Line(Row("", "VALOR TOTAL ESTIMADO", "", "", "", BrazilianFormats.FormatMoney(dfd.ValorTotal)), PdfFont.Mono, TableSize);
        layout.Space(28);

        layout.Paragraph("_______________________________________________");
        layout.Paragraph(job.ActorName ?? "Solicitante");
        layout.Paragraph(dfd.Diretoria, PdfFont.Regular, 9);

        var footer = $"Gerado por {engine} em {generatedAt.UtcDateTime.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture)} UTC — submissão {job.SubmissionId}";
        return layout.Build($"DFD {dfd.Protocolo} — {dfd.Assunto}", footer, generatedAt);
    }

    private static string Row(string number, string description, string unit, string quantity, string unitValue, string total) =>
        Fit(number, NumberWidth, right: true) + " " + Fit(description, DescriptionWidth) + " " + Fit(unit, UnitWidth) + " "
        + Fit(quantity, QuantityWidth, right: true) + " " + Fit(unitValue, UnitValueWidth, right: true) + " " + Fit(total, TotalWidth, right: true);

    private static string Fit(string text, int width, bool right = false)
    {
        if (text.Length > width)
        {
            return text[..(width - 1)] + "…";
        }

        return right ? text.PadLeft(width) : text.PadRight(width);
    }
}
