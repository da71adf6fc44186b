namespace Agepar.Bff.Automations.Pdf;

/// <summary>
/// WinAnsiEncoding (the standard fonts' encoding) and the glyph widths of Helvetica and Helvetica-Bold (Adobe AFM,
/// thousandths of an em), enough for Portuguese text. Characters outside the encoding become '?'.
/// </summary>
internal static class WinAnsi
{
    // ASCII 32..126.
    private static readonly short[] Helvetica =
    [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    ];

    private static readonly short[] HelveticaBold =
    [
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
        975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
        333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
        611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
    ];

    private const string Accented = "ÁÀÂÃÄÉÈÊËÍÌÎÏÓÒÔÕÖÚÙÛÜÇÑáàâãäéèêëíìîïóòôõöúùûüçñ";
    private const string Base = "AAAAAEEEEIIIIOOOOOUUUUCNaaaaaeeeeiiiiooooouuuucn";

    /// <summary>The WinAnsi byte of <paramref name="c"/> ('?' when it has none).</summary>
    public static byte Encode(char c) => c switch
    {
        '\t' => (byte)' ',
        >= ' ' and <= '~' => (byte)c,
        >= '\u00A0' and <= '\u00FF' => (byte)c,
        '€' => 0x80, '‚' => 0x82, '„' => 0x84, '…' => 0x85, '‘' => 0x91, '’' => 0x92,
        '“' => 0x93, '”' => 0x94, '•' => 0x95, '–' => 0x96, '—' => 0x97, '™' => 0x99,
        _ => (byte)'?',
    };

    /// <summary>Width of <paramref name="text"/> in points at <paramref name="size"/>.</summary>
    public static float Measure(string text, PdfFont font, float size)
    {
        if (font == PdfFont.Mono)
        {
            return text.Length * 0.6f * size;
        }

        var table = font == PdfFont.Bold ? HelveticaBold : Helvetica;
        var total = 0;
        foreach (var raw in text)
        {
            var index = Accented.IndexOf(raw, StringComparison.Ordinal);
            var c = index >= 0 ? Base[index] : raw;
            total += c is >= ' ' and <= '~' ? table[c - ' '] : 556;
        }

        return total * size / 1000f;
    }

    /// <summary>A PDF literal string body: WinAnsi bytes with <c>( ) \</c> escaped.</summary>
    public static byte[] Literal(string text)
    {
        var bytes = new List<byte>(text.Length + 8);
        foreach (var c in text)
        {
            var b = Encode(c);
            if (b is (byte)'(' or (byte)')' or (byte)'\\')
            {
                bytes.Add((byte)'\\');
            }

            bytes.Add(b);
        }

        return [.. bytes];
    }
}
