namespace Agepar.Bff.Automations.Pdf;

/// <summary>One column of a <see cref="PdfFlowLayout.TableRow"/>: its width in points and its alignment.</summary>
internal sealed record PdfColumn(float Width, bool AlignRight = false);
