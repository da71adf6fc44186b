namespace Agepar.Bff.Control;

/// <summary>An export read batch by batch: <see cref="ReadNextAsync"/> fills <see cref="Rows"/>; 0 rows = the end.</summary>
internal interface ICsvBatches
{
    CsvRowBuilder Rows { get; }

    Task<int> ReadNextAsync(CancellationToken cancellationToken);
}
