namespace Agepar.Bff.Control;

/// <summary>
/// One keyset page of the panel. <paramref name="Total"/> counts every row matching the filters (not just this page):
/// exact up to <see cref="ControlPanelOptions.MaxExactCount"/>, above it the planner's estimate with
/// <paramref name="TotalIsEstimate"/> = true.
/// </summary>
internal sealed record PanelPage<T>(IReadOnlyList<T> Items, string? NextCursor, long Total, bool TotalIsEstimate);
