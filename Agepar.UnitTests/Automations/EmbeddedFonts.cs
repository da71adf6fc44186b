using System.Buffers.Binary;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.IO;

namespace Agepar.Tests.Automations;

/// <summary>
/// Checks the TrueType subsets embedded in a PDF. Text extraction cannot see a glyph whose outline is missing (the
/// ToUnicode map still reads "ễ"), but a reader then draws nothing: PDFsharp 6.2.4's subsetter adds the parts of a
/// composite glyph one level deep only, which drops the accents of fonts built from composites of composites.
/// </summary>
internal static class EmbeddedFonts
{
    /// <summary>Every part of every composite glyph in every embedded font has an outline.</summary>
    public static void AssertCompositeGlyphsComplete(byte[] pdf)
    {
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        var checkedFonts = 0;
        foreach (var page in document.Pages)
        {
            var fonts = page.Resources.Elements.GetDictionary("/Font");
            Assert.NotNull(fonts);
            foreach (var name in fonts.Elements.Keys)
            {
                var font = Resolve(fonts.Elements[name]);
                var descendant = Resolve(ResolveArray(font.Elements["/DescendantFonts"]).Elements[0]);
                var descriptor = Resolve(descendant.Elements["/FontDescriptor"]);
                var fontFile = Resolve(descriptor.Elements["/FontFile2"]);
                AssertComplete(fontFile.Stream.UnfilteredValue, name);
                checkedFonts++;
            }
        }

        Assert.True(checkedFonts > 0, "no embedded TrueType font found");
    }

    private static PdfDictionary Resolve(PdfItem? item) => item switch
    {
        PdfReference reference => (PdfDictionary)reference.Value,
        PdfDictionary dictionary => dictionary,
        _ => throw new InvalidOperationException($"Unexpected PDF item {item}"),
    };

    private static PdfArray ResolveArray(PdfItem? item) => item switch
    {
        PdfReference reference => (PdfArray)reference.Value,
        PdfArray value => value,
        _ => throw new InvalidOperationException($"Unexpected PDF item {item}"),
    };

    private static void AssertComplete(byte[] ttf, string fontName)
    {
        var tables = new Dictionary<string, int>();
        var count = BinaryPrimitives.ReadUInt16BigEndian(ttf.AsSpan(4));
        for (var i = 0; i < count; i++)
        {
            var record = 12 + (16 * i);
            tables[System.Text.Encoding.ASCII.GetString(ttf, record, 4)] = (int)BinaryPrimitives.ReadUInt32BigEndian(ttf.AsSpan(record + 8));
        }

        var longOffsets = BinaryPrimitives.ReadInt16BigEndian(ttf.AsSpan(tables["head"] + 50)) == 1;
        var glyphs = BinaryPrimitives.ReadUInt16BigEndian(ttf.AsSpan(tables["maxp"] + 4));
        int Offset(int glyph) => longOffsets
            ? (int)BinaryPrimitives.ReadUInt32BigEndian(ttf.AsSpan(tables["loca"] + (4 * glyph)))
            : 2 * BinaryPrimitives.ReadUInt16BigEndian(ttf.AsSpan(tables["loca"] + (2 * glyph)));

        for (var glyph = 0; glyph < glyphs; glyph++)
        {
            var start = Offset(glyph);
            if (Offset(glyph + 1) == start)
            {
                continue; // not in the subset (or no outline, like the space)
            }

            var at = tables["glyf"] + start;
            if (BinaryPrimitives.ReadInt16BigEndian(ttf.AsSpan(at)) >= 0)
            {
                continue; // a simple glyph
            }

            at += 10;
            ushort flags;
            do
            {
                flags = BinaryPrimitives.ReadUInt16BigEndian(ttf.AsSpan(at));
                var part = BinaryPrimitives.ReadUInt16BigEndian(ttf.AsSpan(at + 2));
                Assert.True(Offset(part + 1) > Offset(part), $"{fontName}: glyph {glyph} uses glyph {part}, which the subset left out");
                at += 4 + ((flags & 0x1) != 0 ? 4 : 2) + ((flags & 0x8) != 0 ? 2 : (flags & 0x40) != 0 ? 4 : (flags & 0x80) != 0 ? 8 : 0);
            }
            while ((flags & 0x20) != 0);
        }
    }
}
