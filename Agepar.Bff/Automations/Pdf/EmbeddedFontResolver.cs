using PdfSharp.Fonts;

namespace Agepar.Bff.Automations.Pdf;

/// <summary>
/// Serves Liberation Sans (regular and bold), compiled into this assembly, to PDFsharp for every font request, so PDFs
/// render the same on any machine and never depend on the fonts installed there. Liberation Sans covers Latin (with
/// Vietnamese and Central European letters), Greek and Cyrillic; a character it lacks renders as an empty box.
/// Fonts/README.md says why this font and not DejaVu Sans.
/// </summary>
internal sealed class EmbeddedFontResolver : IFontResolver
{
    public const string FamilyName = "Liberation Sans";

    private const string RegularFace = "LiberationSans-Regular";
    private const string BoldFace = "LiberationSans-Bold";

    private static readonly Lock Gate = new();
    private static readonly EmbeddedFontResolver Instance = new();

    private readonly Lazy<byte[]> _regular = new(() => Load(RegularFace));
    private readonly Lazy<byte[]> _bold = new(() => Load(BoldFace));

    private EmbeddedFontResolver()
    {
    }

    /// <summary>
    /// Installs the resolver for the process. PDFsharp keeps one resolver per process and must get it before its
    /// first font operation, so every layout calls this first; later calls are no-ops.
    /// </summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is null)
            {
                GlobalFontSettings.FontResolver = Instance;
            }
            else if (!ReferenceEquals(GlobalFontSettings.FontResolver, Instance))
            {
                throw new InvalidOperationException("Another PDFsharp font resolver is installed; PDFs must use the embedded fonts.");
            }
        }
    }

    // Every family maps to Liberation Sans: no request can fall through to the platform's fonts. Italic is simulated.
    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? BoldFace : RegularFace, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName) => faceName switch
    {
        RegularFace => _regular.Value,
        BoldFace => _bold.Value,
        _ => null,
    };

    private static byte[] Load(string face)
    {
        var name = $"Agepar.Bff.Fonts.{face}.ttf";
        using var stream = typeof(EmbeddedFontResolver).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded font {name} is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
