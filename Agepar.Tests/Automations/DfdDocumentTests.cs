using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agepar.Bff.Automations;
using Agepar.Bff.Automations.Dfd;

namespace Agepar.Tests.Automations;

/// <summary>The DFD PDF is a well-formed PDF: header, objects where the cross-reference table says, trailer.</summary>
public sealed partial class DfdDocumentTests
{
    [Fact]
    public async Task Dfd_renders_a_well_formed_multi_page_pdf()
    {
        var automation = new DfdAutomation(TimeProvider.System);
        var items = string.Join(",", Enumerable.Range(1, 80).Select(i =>
            $$"""{ "descricao": "Item {{i}} (com parênteses) e barra \\ invertida — descrição longa o bastante para quebrar a linha da tabela", "quantidade": "{{i}}", "valorUnitario": "1.000,50" }"""));
        using var input = JsonDocument.Parse($$"""
            { "ano": 2026, "diretoria": "Diretoria Administrativo-Financeira", "protocolo": "24.999.001-0", "assunto": "Aquisição de cadeiras",
              "justificativa": "Justificativa com acentuação: ação, atenção, público.", "itens": [ {{items}} ] }
            """);
        var validation = automation.Validate(input.RootElement);
        Assert.True(validation.IsValid);
        using var payload = JsonDocument.Parse(validation.Payload!.ToJsonString());

        var output = await automation.ProcessAsync(
            new AutomationJob(Guid.NewGuid(), "1.0.0", payload.RootElement, 1, 3, "Maria", "maria@agepar.test", DateTimeOffset.UtcNow),
            CancellationToken.None);

        var file = Assert.IsType<AutomationFile>(output.File);
        Assert.Equal("application/pdf", file.ContentType);
        Assert.EndsWith(".pdf", file.FileName, StringComparison.Ordinal);
        AssertWellFormedPdf(file.Content, out var pageCount);
        Assert.True(pageCount >= 2, $"80 items should need more than one page; got {pageCount}");
        var text = Encoding.Latin1.GetString(file.Content);
        Assert.Contains("(24.999.001-0)", text, StringComparison.Ordinal);
        Assert.Contains(@"\(com par", text, StringComparison.Ordinal); // parentheses escaped in literal strings
        Assert.Equal(80, output.Result["itens"]!.GetValue<int>());
    }

    /// <summary>Checks the structure a PDF reader relies on.</summary>
    internal static void AssertWellFormedPdf(byte[] pdf, out int pageCount)
    {
        var text = Encoding.Latin1.GetString(pdf);
        Assert.StartsWith("%PDF-1.4\n", text, StringComparison.Ordinal);
        Assert.EndsWith("%%EOF\n", text, StringComparison.Ordinal);

        var startxref = StartXref().Match(text);
        Assert.True(startxref.Success, "startxref missing");
        var xrefOffset = int.Parse(startxref.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal("xref", text.Substring(xrefOffset, 4));

        var header = XrefHeader().Match(text, xrefOffset);
        var count = int.Parse(header.Groups[1].Value, CultureInfo.InvariantCulture);
        var entriesStart = header.Index + header.Length;
        for (var number = 1; number < count; number++)
        {
            var entry = text.Substring(entriesStart + (number * 20), 20);
            Assert.Matches(@"^\d{10} 00000 n\r\n$", entry);
            var offset = int.Parse(entry[..10], CultureInfo.InvariantCulture);
            Assert.StartsWith($"{number} 0 obj", text[offset..], StringComparison.Ordinal);
        }

        foreach (Match stream in StreamLength().Matches(text))
        {
            var length = int.Parse(stream.Groups[1].Value, CultureInfo.InvariantCulture);
            var dataStart = stream.Index + stream.Length;
            Assert.Equal("\nendstream", text.Substring(dataStart + length, 10));
        }

        pageCount = PageObject().Matches(text).Count;
        Assert.Matches($@"/Count {pageCount} ", text);
    }

    [GeneratedRegex(@"startxref\n(\d+)\n%%EOF\n$")]
    private static partial Regex StartXref();

    [GeneratedRegex(@"\Gxref\n0 (\d+)\n")]
    private static partial Regex XrefHeader();

    [GeneratedRegex(@"<< /Length (\d+) >>\nstream\n")]
    private static partial Regex StreamLength();

    [GeneratedRegex(@"/Type /Page ")]
    private static partial Regex PageObject();
}
