namespace Agepar.Bff.Automations.Pdf;

/// <summary>The three standard Type 1 fonts every PDF reader has (no embedding needed), WinAnsi-encoded.</summary>
internal enum PdfFont
{
    /// <summary>Helvetica (resource /F1).</summary>
    Regular,

    /// <summary>Helvetica-Bold (resource /F2).</summary>
    Bold,

    /// <summary>Courier (resource /F3), fixed width: for tables.</summary>
    Mono,
}
