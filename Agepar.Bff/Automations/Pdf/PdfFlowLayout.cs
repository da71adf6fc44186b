using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Agepar.Bff.Automations.Pdf;

/// <summary>
/// Top-to-bottom text flow on A4 pages with PDFsharp: word wrapping with the font's real glyph widths, page breaks,
/// simple tables, and a footer with "Página i de n" on every page. Text is drawn with Liberation Sans in Unicode
/// (Identity-H with a ToUnicode map), so any name renders and can be copied or searched back out of the PDF; only the
/// glyphs used are embedded.
/// </summary>
internal sealed class PdfFlowLayout : IDisposable
{
    private const float Margin = 56;
    private const float Left = Margin;
    private const float Top = Margin;
    private const float Bottom = 72;
    private const float LineFactor = 1.35f;

    // Unicode, not WinAnsi: WinAnsi is cp1252, which has no "ễ", "Ł" or Greek letters.
    private static readonly XPdfFontOptions FontOptions = new(PdfFontEncoding.Unicode, PdfFontEmbedding.TryComputeSubset);

    private readonly PdfDocument _document = new();
    private readonly Dictionary<(PdfFont, float), XFont> _fonts = [];
    private XGraphics _graphics = null!;
    private float _y;

    static PdfFlowLayout() => EmbeddedFontResolver.Register();

    public PdfFlowLayout() => NewPage();

    // A4 in points, set on every page so layout and media box agree exactly.
    private const float PageWidth = 595.28f;
    private const float PageHeight = 841.89f;
    private const float Right = PageWidth - Margin;

    public static float Width => Right - Left;

    public void Heading(string text, float size = 14) => Paragraph(text, PdfFont.Bold, size);

    /// <summary>Wrapped text; line breaks in <paramref name="text"/> start new lines.</summary>
    public void Paragraph(string text, PdfFont font = PdfFont.Regular, float size = 10, float indent = 0)
    {
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            foreach (var wrapped in Wrap(line, font, size, Width - indent))
            {
                Line(wrapped, font, size, Left + indent);
            }
        }
    }

    /// <summary>"Label: value", the value wrapped under itself (hanging indent).</summary>
    public void Field(string label, string? value, float size = 10)
    {
        var labelText = label + ": ";
        var labelWidth = Measure(labelText, PdfFont.Bold, size);
        var lines = Wrap(string.IsNullOrWhiteSpace(value) ? "—" : value.ReplaceLineEndings(" "), PdfFont.Regular, size, Width - labelWidth);
        for (var i = 0; i < lines.Count; i++)
        {
            EnsureRoom(size * LineFactor);
            if (i == 0)
            {
                Draw(labelText, PdfFont.Bold, size, Left, _y, XStringFormats.BaseLineLeft);
            }

            Draw(lines[i], PdfFont.Regular, size, Left + labelWidth, _y, XStringFormats.BaseLineLeft);
            _y += size * LineFactor;
        }
    }

    /// <summary>One unwrapped line.</summary>
    public void Line(string text, PdfFont font, float size, float x = Left)
    {
        EnsureRoom(size * LineFactor);
        Draw(text, font, size, x, _y, XStringFormats.BaseLineLeft);
        _y += size * LineFactor;
    }

    /// <summary>
    /// One table row: each cell wraps inside its column less a 4-point gap (a value wider than its column is cut across
    /// lines, never truncated), and the row is kept on one page. On a new page, <paramref name="header"/> (if any) is repeated first.
    /// </summary>
    public void TableRow(IReadOnlyList<PdfColumn> columns, IReadOnlyList<string> cells, PdfFont font, float size, Action? header = null)
    {
        const float Padding = 4;
        var lineHeight = size * LineFactor;
        var wrapped = new List<string>[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            wrapped[c] = Wrap(cells[c], font, size, columns[c].Width - Padding);
        }

        var height = wrapped.Max(lines => lines.Count) * lineHeight;
        if (_y + height > PageHeight - Bottom && height <= PageHeight - Bottom - Top)
        {
            NewPage();
            header?.Invoke();
        }

        var x = Left;
        for (var c = 0; c < columns.Count; c++)
        {
            var y = _y;
            foreach (var line in wrapped[c])
            {
                if (columns[c].AlignRight)
                {
                    // Right-aligned text keeps the padding on its right, so it never touches the next column.
                    Draw(line, font, size, x + columns[c].Width - Padding, y, XStringFormats.BaseLineRight);
                }
                else
                {
                    Draw(line, font, size, x, y, XStringFormats.BaseLineLeft);
                }

                y += lineHeight;
            }

            x += columns[c].Width;
        }

        _y += height;
    }

    public void Space(float points) => _y += points;

    public void Rule()
    {
        EnsureRoom(8);
        _graphics.DrawLine(new XPen(XColors.Black, 0.5), Left, _y - 4, Right, _y - 4);
        _y += 8;
    }

    /// <summary>Adds the footers and returns the PDF bytes.</summary>
    public byte[] Build(string title, string footer, DateTimeOffset createdAt)
    {
        _graphics.Dispose();
        var count = _document.PageCount;
        for (var i = 0; i < count; i++)
        {
            using var graphics = XGraphics.FromPdfPage(_document.Pages[i], XGraphicsPdfPageOptions.Append);
            _graphics = graphics;
            var baseline = PageHeight - Bottom + 34;
            graphics.DrawLine(new XPen(XColors.Black, 0.5), Left, PageHeight - Bottom + 20, Right, PageHeight - Bottom + 20);
            var number = $"Página {i + 1} de {count}";
            Draw(number, PdfFont.Regular, 8, Right, baseline, XStringFormats.BaseLineRight);
            // The footer wraps beside the page number rather than running into it.
            foreach (var line in Wrap(footer, PdfFont.Regular, 8, Width - Measure(number, PdfFont.Regular, 8) - 12))
            {
                Draw(line, PdfFont.Regular, 8, Left, baseline, XStringFormats.BaseLineLeft);
                baseline += 10;
            }
        }

        _document.Info.Title = title;
        _document.Info.Creator = "Portal AGEPAR";
        _document.Info.CreationDate = createdAt.UtcDateTime;
        _document.Info.ModificationDate = createdAt.UtcDateTime;
        using var output = new MemoryStream();
        _document.Save(output, closeStream: false);
        return output.ToArray();
    }

    public void Dispose() => _document.Dispose();

    /// <summary>Greedy word wrap with the font's glyph widths; a word wider than the line is cut.</summary>
    public List<string> Wrap(string text, PdfFont font, float size, float width)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in Clean(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (Measure(candidate, font, size) <= width)
            {
                current = candidate;
                continue;
            }

            if (current.Length > 0)
            {
                lines.Add(current);
            }

            current = word;
            while (current.Length > 1 && Measure(current, font, size) > width)
            {
                // The longest prefix that fits, by bisection: a 4,000-character word costs a dozen measurements per
                // line, not thousands.
                int low = 1, high = current.Length - 1;
                while (low < high)
                {
                    var middle = (low + high + 1) / 2;
                    if (Measure(current[..middle], font, size) <= width)
                    {
                        low = middle;
                    }
                    else
                    {
                        high = middle - 1;
                    }
                }

                var cut = low;
                if (char.IsLowSurrogate(current[cut]) && cut > 1)
                {
                    cut--; // never split a surrogate pair
                }

                lines.Add(current[..cut]);
                current = current[cut..];
            }
        }

        lines.Add(current);
        return lines;
    }

    /// <summary>Width of <paramref name="text"/> in points.</summary>
    public float Measure(string text, PdfFont font, float size) =>
        text.Length == 0 ? 0 : (float)_graphics.MeasureString(text, Font(font, size)).Width;

    // Tabs and other control characters have no glyph: draw them as spaces.
    private static string Clean(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });

    private void Draw(string text, PdfFont font, float size, float x, float y, XStringFormat format)
    {
        if (text.Length > 0)
        {
            _graphics.DrawString(Clean(text), Font(font, size), XBrushes.Black, x, y, format);
        }
    }

    private XFont Font(PdfFont font, float size)
    {
        if (!_fonts.TryGetValue((font, size), out var xfont))
        {
            var style = font == PdfFont.Bold ? XFontStyleEx.Bold : XFontStyleEx.Regular;
            xfont = new XFont(EmbeddedFontResolver.FamilyName, size, style, FontOptions);
            _fonts[(font, size)] = xfont;
        }

        return xfont;
    }

    private void NewPage()
    {
        _graphics?.Dispose();
        var page = _document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        _graphics = XGraphics.FromPdfPage(page);
        _y = Top;
    }

    private void EnsureRoom(float height)
    {
        if (_y + height > PageHeight - Bottom)
        {
            NewPage();
        }
    }
}
