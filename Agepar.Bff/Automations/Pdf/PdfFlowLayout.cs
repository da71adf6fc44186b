namespace Agepar.Bff.Automations.Pdf;

/// <summary>
/// Top-to-bottom text flow over <see cref="PdfDocumentWriter"/>: word wrapping with real glyph widths, page breaks,
/// and a footer with "Página i de n" on every page.
/// </summary>
internal sealed class PdfFlowLayout
{
    private const float Margin = 56;
    private const float Left = Margin;
    private const float Right = PdfDocumentWriter.PageWidth - Margin;
    private const float Top = PdfDocumentWriter.PageHeight - Margin;
    private const float Bottom = 72;

    private readonly PdfDocumentWriter _pdf = new();
    private int _page = -1;
    private float _y;

    public PdfFlowLayout() => NewPage();

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
        var labelWidth = WinAnsi.Measure(labelText, PdfFont.Bold, size);
        var lines = Wrap(string.IsNullOrWhiteSpace(value) ? "—" : value.ReplaceLineEndings(" "), PdfFont.Regular, size, Width - labelWidth);
        for (var i = 0; i < lines.Count; i++)
        {
            EnsureRoom(size * 1.35f);
            if (i == 0)
            {
                _pdf.Text(_page, Left, _y, PdfFont.Bold, size, labelText);
            }

            _pdf.Text(_page, Left + labelWidth, _y, PdfFont.Regular, size, lines[i]);
            _y -= size * 1.35f;
        }
    }

    /// <summary>One unwrapped line (tables in <see cref="PdfFont.Mono"/>).</summary>
    public void Line(string text, PdfFont font, float size, float x = Left)
    {
        EnsureRoom(size * 1.35f);
        _pdf.Text(_page, x, _y, font, size, text);
        _y -= size * 1.35f;
    }

    public void Space(float points) => _y -= points;

    public void Rule()
    {
        EnsureRoom(8);
        _pdf.Rule(_page, Left, Right, _y + 4);
        _y -= 8;
    }

    /// <summary>Adds the footers and returns the PDF bytes.</summary>
    public byte[] Build(string title, string footer, DateTimeOffset createdAt)
    {
        for (var page = 0; page < _pdf.PageCount; page++)
        {
            _pdf.Rule(page, Left, Right, Bottom - 20);
            _pdf.Text(page, Left, Bottom - 34, PdfFont.Regular, 8, footer);
            var number = $"Página {page + 1} de {_pdf.PageCount}";
            _pdf.Text(page, Right - WinAnsi.Measure(number, PdfFont.Regular, 8), Bottom - 34, PdfFont.Regular, 8, number);
        }

        return _pdf.Build(title, createdAt);
    }

    /// <summary>Greedy word wrap; a word wider than the line is cut.</summary>
    public static List<string> Wrap(string text, PdfFont font, float size, float width)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (WinAnsi.Measure(candidate, font, size) <= width)
            {
                current = candidate;
                continue;
            }

            if (current.Length > 0)
            {
                lines.Add(current);
            }

            current = word;
            while (WinAnsi.Measure(current, font, size) > width && current.Length > 1)
            {
                var cut = current.Length - 1;
                while (cut > 1 && WinAnsi.Measure(current[..cut], font, size) > width)
                {
                    cut--;
                }

                lines.Add(current[..cut]);
                current = current[cut..];
            }
        }

        lines.Add(current);
        return lines;
    }

    private void NewPage()
    {
        _pdf.AddPage();
        _page++;
        _y = Top;
    }

    private void EnsureRoom(float height)
    {
        if (_y - height < Bottom)
        {
            NewPage();
        }
    }
}
