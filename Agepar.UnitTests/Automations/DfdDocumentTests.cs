using System.Text;
using System.Text.Json;
using Agepar.Bff.Automations;
using Agepar.Bff.Automations.Dfd;
using Agepar.Tests.Infrastructure;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace Agepar.Tests.Automations;

/// <summary>
/// The DFD PDF (no AppHost needed): a PDF a strict reader opens, whose text reads back, any script the font covers
/// included, with long text wrapped inside the margins and long item lists broken across pages.
/// </summary>
public sealed class DfdDocumentTests
{
    private const string VietnameseName = "Nguyễn Thị Ánh";
    private const float A4Width = 595.28f;
    private const float Margin = 56;

    [Fact]
    public async Task Dfd_renders_a_well_formed_multi_page_pdf()
    {
        var items = Enumerable.Range(1, 80).Select(i => Item(
            $"Item {i} (com parênteses) e barra \\ invertida — descrição longa o bastante para quebrar a linha da tabela", $"{i}", "1.000,50"));
        var (file, result) = await RenderAsync(Body("24.999.001-0", "Diretoria Administrativo-Financeira", "Aquisição de cadeiras",
            "Justificativa com acentuação: ação, atenção, público.", items), "Maria");

        Assert.Equal("application/pdf", file.ContentType);
        Assert.EndsWith(".pdf", file.FileName, StringComparison.Ordinal);
        var pages = PdfText.Read(file.Content);
        Assert.True(pages.Count >= 2, $"80 items should need more than one page; got {pages.Count}");
        var text = string.Join('\n', pages.Select(p => p.Text));
        Assert.Contains("Protocolo: 24.999.001-0", text, StringComparison.Ordinal);
        Assert.Contains("Item 80 (com parênteses)", text, StringComparison.Ordinal); // PDF string delimiters survive
        Assert.Contains("Justificativa com acentuação: ação, atenção, público.", text, StringComparison.Ordinal);
        Assert.Contains("Solicitante: Maria <maria@agepar.test>", text, StringComparison.Ordinal);
        Assert.Contains("R$ 3.241.620,00", text, StringComparison.Ordinal); // 1.000,50 × (1 + … + 80)
        Assert.Equal(80, result["itens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Dfd_renders_names_and_text_outside_cp1252()
    {
        var (file, _) = await RenderAsync(Body("24.999.002-0", "Diretoria de Łódź", "Ελληνικά — Русский — Čeština",
            $"Pedido de {VietnameseName}: tiếng Việt, Łódź, Ελληνικά, Русский.",
            [Item($"Tradução para {VietnameseName} (Đà Nẵng)", "2", "10,00")]), VietnameseName);

        var pages = PdfText.Read(file.Content);
        var text = string.Join('\n', pages.Select(p => p.Text)).Normalize(NormalizationForm.FormC);
        Assert.Contains($"Solicitante: {VietnameseName} <", text, StringComparison.Ordinal);
        Assert.Contains("Diretoria demandante: Diretoria de Łódź", text, StringComparison.Ordinal);
        Assert.Contains("Assunto: Ελληνικά — Русский — Čeština", text, StringComparison.Ordinal);
        Assert.Contains($"Pedido de {VietnameseName}: tiếng Việt, Łódź, Ελληνικά, Русский.", text, StringComparison.Ordinal);
        Assert.Contains($"Tradução para {VietnameseName} (Đà Nẵng)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("?", text, StringComparison.Ordinal); // the old writer put '?' for what cp1252 lacks

        // Every glyph comes from the embedded Liberation Sans subsets, not from a font the reader must have.
        var fonts = pages.SelectMany(p => p.Letters).Select(l => l.FontName ?? "").Distinct().ToList();
        Assert.All(fonts, name => Assert.Matches(@"^[A-Z]{6}\+Liberation Sans(,Bold)?$", name)); // subset tag + name
        Assert.Contains(fonts, name => name.EndsWith(",Bold", StringComparison.Ordinal));

        // "ễ" is a composite glyph: its parts must be in the subset too, or it renders as a bare "e".
        EmbeddedFonts.AssertCompositeGlyphsComplete(file.Content);

        // Subsetting keeps the file small: the two font files alone are 825 KB.
        Assert.True(file.Content.Length < 60_000, $"PDF is {file.Content.Length} bytes");
    }

    [Fact]
    public async Task Dfd_wraps_a_long_line_inside_the_margins()
    {
        var words = string.Join(' ', Enumerable.Range(1, 120).Select(i => $"palavra{i}"));
        var (file, _) = await RenderAsync(Body("24.999.003-0", "DAF", "Assunto",
            $"INÍCIO {words} FIM", [Item(string.Join(' ', Enumerable.Repeat("Descrição extensa", 20)), "1", "1,00")]), "Maria");

        var page = Assert.Single(PdfText.Read(file.Content));
        var start = page.Letters.First(l => l.Value == "I" && l.PointSize == 10);
        var end = page.Letters.Last(l => l.Value == "M" && l.PointSize == 10);
        Assert.True(end.StartBaseLine.Y < start.StartBaseLine.Y - 20, "the justification should span several lines");
        Assert.All(page.Letters, l => Assert.InRange(l.BoundingBox.Right, Margin - 1, A4Width - Margin + 1));
        Assert.Contains("palavra120 FIM", page.Text, StringComparison.Ordinal);
        Assert.Equal(20, CountOf(page.Text, "extensa")); // the description wraps in its column, none of it is lost
    }

    [Fact]
    public async Task Dfd_cuts_words_wider_than_the_line_without_losing_characters()
    {
        // The longest inputs the validator accepts, without a single space to break at.
        var justificativa = string.Concat(Enumerable.Range(0, 4000).Select(i => "ễabcdefghijklmnopqrstuvwxyzŁ"[i % 28]));
        var descricao = string.Concat(Enumerable.Range(0, 500).Select(i => "0123456789Ελληνικά"[i % 18]));
        var (file, _) = await RenderAsync(Body("24.999.006-0", "DAF", "Palavras longas", justificativa,
            Enumerable.Range(0, 200).Select(_ => Item(descricao, "1", "1,00"))), "Maria");

        var pages = PdfText.Read(file.Content);
        var lines = pages.SelectMany(p => p.Text.Split('\n')).Select(l => l.Normalize(NormalizationForm.FormC)).ToList();
        var start = lines.FindIndex(l => l.StartsWith("ễabc", StringComparison.Ordinal));
        var end = lines.FindIndex(l => l.StartsWith("2. Itens da demanda", StringComparison.Ordinal));
        Assert.True(start >= 0 && end > start + 1, "the justification should span several lines");
        var alphabet = justificativa.ToHashSet();
        var body = lines.Skip(start).Take(end - start).Where(l => l.All(alphabet.Contains)); // page footers left out
        Assert.Equal(justificativa, string.Concat(body));
        Assert.All(pages, p => Assert.All(p.Letters, l => Assert.InRange(l.BoundingBox.Right, Margin - 1, A4Width - Margin + 1)));
        Assert.Equal(200 * descricao.Count(c => c is >= '\u0370' and <= '\u03FF'), CountGreek(pages));
    }

    [Fact]
    public async Task Dfd_breaks_many_items_across_pages_with_header_and_footer_on_each()
    {
        var items = Enumerable.Range(1, 200).Select(i => Item($"Mặt hàng {i:000} — {VietnameseName}", "1", "2,50"));
        var (file, _) = await RenderAsync(Body("24.999.004-0", "DAF", "Muitos itens", "Justificativa.", items), VietnameseName);

        var pages = PdfText.Read(file.Content);
        Assert.True(pages.Count >= 4, $"200 items should need at least four pages; got {pages.Count}");
        var text = string.Join('\n', pages.Select(p => p.Text)).Normalize(NormalizationForm.FormC);
        for (var i = 1; i <= 200; i++)
        {
            Assert.Equal(1, CountOf(text, $"Mặt hàng {i:000} — {VietnameseName}"));
        }

        Assert.Contains("VALOR TOTAL ESTIMADO", pages[^1].Text, StringComparison.Ordinal);
        Assert.Contains("R$ 500,00", pages[^1].Text, StringComparison.Ordinal);
        for (var p = 0; p < pages.Count; p++)
        {
            Assert.Contains($"Página {p + 1} de {pages.Count}", pages[p].Text, StringComparison.Ordinal);
            if (pages[p].Text.Contains("Mặt hàng", StringComparison.Ordinal))
            {
                Assert.Contains("Valor unitário", pages[p].Text, StringComparison.Ordinal); // header repeated
            }

            // Body text stops above the footer band (72 pt from the bottom); only the 8 pt footer is below it.
            Assert.All(pages[p].Letters.Where(l => l.StartBaseLine.Y < 72), l => Assert.Equal(8, l.PointSize, 0.01));
        }
    }

    [Fact]
    public async Task Dfd_pdfs_rendered_at_once_each_carry_their_own_text()
    {
        // The queue renders up to QueueOptions.Concurrency documents at a time; PDFsharp's font state is process-wide.
        var names = Enumerable.Range(1, 8).Select(i => $"{VietnameseName} {i} Łódź").ToList();
        var files = await Task.WhenAll(names.Select(name => Task.Run(() => RenderAsync(
            Body($"24.999.1{names.IndexOf(name):00}-0", "DAF", "Paralelo", "Justificativa.",
                Enumerable.Range(1, 30).Select(i => Item($"Item {i} de {name}", "1", "1,00"))), name))));

        for (var i = 0; i < names.Count; i++)
        {
            var pages = PdfText.Read(files[i].File.Content);
            var text = string.Join('\n', pages.Select(p => p.Text)).Normalize(NormalizationForm.FormC);
            Assert.Contains($"Solicitante: {names[i]} <", text, StringComparison.Ordinal);
            Assert.Equal(30, CountOf(text, $" de {names[i]}"));
            EmbeddedFonts.AssertCompositeGlyphsComplete(files[i].File.Content);
        }
    }

    // Greek letters appear only in the item descriptions here: count them as drawn.
    private static int CountGreek(IReadOnlyList<(string Text, IReadOnlyList<Letter> Letters)> pages) =>
        pages.Sum(p => p.Letters.Count(l => l.Value.Length == 1 && l.Value[0] is >= '\u0370' and <= '\u03FF'));

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static object Item(string descricao, string quantidade, string valorUnitario) => new { descricao, quantidade, valorUnitario };

    private static object Body(string protocolo, string diretoria, string assunto, string justificativa, IEnumerable<object> itens) =>
        new { ano = 2026, diretoria, protocolo, assunto, justificativa, itens = itens.ToArray() };

    private static async Task<(AutomationFile File, System.Text.Json.Nodes.JsonObject Result)> RenderAsync(
        object body, string actorName)
    {
        var automation = new DfdAutomation(TimeProvider.System);
        using var input = JsonDocument.Parse(JsonSerializer.Serialize(body));
        var validation = automation.Validate(input.RootElement);
        Assert.True(validation.IsValid, JsonSerializer.Serialize(validation.Errors));
        using var payload = JsonDocument.Parse(validation.Payload!.ToJsonString());

        var output = await ((IAutomation)automation).ProcessAsync(
            new AutomationJob(Guid.NewGuid(), "1.0.0", payload.RootElement, 1, 3, actorName, "maria@agepar.test", DateTimeOffset.UtcNow),
            CancellationToken.None);
        return (Assert.IsType<AutomationFile>(output.File), output.Result);
    }
}
