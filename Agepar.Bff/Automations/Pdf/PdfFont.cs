namespace Agepar.Bff.Automations.Pdf;

/// <summary>The two faces the PDFs use, both Liberation Sans (see <see cref="EmbeddedFontResolver"/>).</summary>
internal enum PdfFont
{
    Regular,
    Bold,
}
