using System.Globalization;
using System.Text;

namespace Agepar.Bff.Automations.Pdf;

/// <summary>
/// Writes a minimal, valid PDF 1.4 by hand: A4 pages whose uncompressed content streams draw text with the standard
/// fonts, an Info dictionary and an exact cross-reference table. No external tool or library is involved.
/// </summary>
internal sealed class PdfDocumentWriter
{
    public const float PageWidth = 595.28f;
    public const float PageHeight = 841.89f;

    private readonly List<MemoryStream> _pages = [];

    public int PageCount => _pages.Count;

    /// <summary>Starts a new page; drawing calls go to it.</summary>
    public void AddPage() => _pages.Add(new MemoryStream());

    /// <summary>Draws <paramref name="text"/> with its baseline starting at (x, y), in points from the bottom-left corner.</summary>
    public void Text(int page, float x, float y, PdfFont font, float size, string text)
    {
        var stream = _pages[page];
        Ascii(stream, $"BT /F{(int)font + 1} {Num(size)} Tf 1 0 0 1 {Num(x)} {Num(y)} Tm (");
        stream.Write(WinAnsi.Literal(text));
        Ascii(stream, ") Tj ET\n");
    }

    /// <summary>Draws a thin horizontal rule.</summary>
    public void Rule(int page, float x1, float x2, float y) =>
        Ascii(_pages[page], $"0.5 w {Num(x1)} {Num(y)} m {Num(x2)} {Num(y)} l S\n");

    public byte[] Build(string title, DateTimeOffset createdAt)
    {
        if (_pages.Count == 0)
        {
            AddPage();
        }

        var output = new MemoryStream();
        var offsets = new List<long>();
        Ascii(output, "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");

        void BeginObject(int number)
        {
            while (offsets.Count < number)
            {
                offsets.Add(0);
            }

            offsets[number - 1] = output.Position;
            Ascii(output, $"{number} 0 obj\n");
        }

        const int fontsStart = 4;
        const int firstPage = 7;
        var kids = string.Join(' ', Enumerable.Range(0, _pages.Count).Select(i => $"{firstPage + (2 * i)} 0 R"));

        BeginObject(1);
        Ascii(output, "<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        BeginObject(2);
        Ascii(output, $"<< /Type /Pages /Kids [{kids}] /Count {_pages.Count} >>\nendobj\n");
        BeginObject(3);
        // Text strings outside content streams are PDFDocEncoding or UTF-16BE with a BOM: the latter, as hex.
        var utf16Title = Convert.ToHexString([0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(title)]);
        Ascii(output, $"<< /Title <{utf16Title}> /Producer (Portal AGEPAR) /CreationDate (D:{createdAt.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}Z) >>\nendobj\n");

        string[] baseFonts = ["Helvetica", "Helvetica-Bold", "Courier"];
        for (var i = 0; i < baseFonts.Length; i++)
        {
            BeginObject(fontsStart + i);
            Ascii(output, $"<< /Type /Font /Subtype /Type1 /BaseFont /{baseFonts[i]} /Encoding /WinAnsiEncoding >>\nendobj\n");
        }

        for (var i = 0; i < _pages.Count; i++)
        {
            var pageObject = firstPage + (2 * i);
            BeginObject(pageObject);
            Ascii(output,
                $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {Num(PageWidth)} {Num(PageHeight)}] " +
                $"/Resources << /Font << /F1 {fontsStart} 0 R /F2 {fontsStart + 1} 0 R /F3 {fontsStart + 2} 0 R >> >> " +
                $"/Contents {pageObject + 1} 0 R >>\nendobj\n");

            var content = _pages[i].ToArray();
            BeginObject(pageObject + 1);
            Ascii(output, $"<< /Length {content.Length} >>\nstream\n");
            output.Write(content);
            Ascii(output, "\nendstream\nendobj\n");
        }

        var xref = output.Position;
        Ascii(output, $"xref\n0 {offsets.Count + 1}\n0000000000 65535 f\r\n");
        foreach (var offset in offsets)
        {
            Ascii(output, $"{offset.ToString("D10", CultureInfo.InvariantCulture)} 00000 n\r\n");
        }

        Ascii(output, $"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R /Info 3 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return output.ToArray();
    }

    private static string Num(float value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static void Ascii(Stream stream, string text) => stream.Write(Encoding.Latin1.GetBytes(text));
}
