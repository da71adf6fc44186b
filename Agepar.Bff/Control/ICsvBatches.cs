namespace Agepar.Bff.Control;

/// <summary>
/// An export read batch by batch: <see cref="ReadNextAsync"/> fills <see cref="Batch"/> (UTF-8 CSV records); 0 rows =
/// the end. The batch read before stays untouched while the next one is read (two buffers take turns), so a caller may
/// still be sending it: reading batch n+1 overlaps sending batch n.
/// </summary>
internal interface ICsvBatches
{
    ReadOnlyMemory<byte> Batch { get; }

    Task<int> ReadNextAsync(CancellationToken cancellationToken);
}
