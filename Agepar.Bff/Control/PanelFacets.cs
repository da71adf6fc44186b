namespace Agepar.Bff.Control;

/// <summary>The closed vocabularies the panel filters accept (no table scan needed to list them).</summary>
internal sealed record PanelFacets(
    IReadOnlyList<string> Kinds, IReadOnlyList<string> Actions, IReadOnlyList<string> Statuses, IReadOnlyList<string> Outcomes);
