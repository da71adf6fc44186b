namespace Agepar.Bff.Control;

/// <summary>How many rows match the filters, exact or estimated.</summary>
internal readonly record struct PanelTotal(long Count, bool IsEstimate);
