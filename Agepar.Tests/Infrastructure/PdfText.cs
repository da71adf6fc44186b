using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace Agepar.Tests.Infrastructure;

/// <summary>Reads a PDF back as text (PdfPig), for the unit and the integration tests.</summary>
public static class PdfText
{
    /// <summary>
    /// Opens <paramref name="pdf"/> without lenient parsing (a broken cross-reference table or stream length fails)
    /// and returns each page's text in reading order, lines separated by '\n', with its letters.
    /// </summary>
    public static IReadOnlyList<(string Text, IReadOnlyList<Letter> Letters)> Read(byte[] pdf)
    {
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5));
        using var document = PdfDocument.Open(pdf, new ParsingOptions { UseLenientParsing = false });
        return [.. document.GetPages().Select(page => (ContentOrderTextExtractor.GetText(page), page.Letters))];
    }
}
