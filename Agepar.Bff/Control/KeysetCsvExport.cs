using System.Data.Common;
using Agepar.Data;
using Npgsql;

namespace Agepar.Bff.Control;

/// <summary>
/// Reads an export in keyset batches (newest first, <c>WHERE (at, id) &lt; (last row) LIMIT n</c>): each batch opens a
/// pooled connection, runs in its own read-only transaction under <see cref="ControlPanelOptions.ExportBatchTimeout"/>,
/// renders its rows as CSV into <see cref="Rows"/> and gives the connection back before anything is sent to the client.
/// A slow client therefore only ever holds memory (one batch), never a database connection. Each batch is its own
/// snapshot; rows are never repeated or skipped because the keyset is unique and ordered.
/// </summary>
internal sealed class KeysetCsvExport<TRow, TKey>(
    AgeparDbContext db,
    ControlPanelOptions options,
    CsvDialect dialect,
    Func<SqlWhere> where,
    Action<SqlWhere, DateTimeOffset, TKey> after,
    Func<SqlWhere, string> select,
    Func<DbDataReader, Func<DbDataReader, TRow>> rows,
    Func<TRow, (DateTimeOffset At, TKey Id)> keyOf,
    Action<TRow, CsvRowBuilder> writeRow) : ICsvBatches
    where TKey : struct
{
    /// <summary>A batch stops early past this many characters, so rows with large JSON keep memory bounded.</summary>
    private const int MaxBatchChars = 4 * 1024 * 1024;

    private (DateTimeOffset At, TKey Id)? _last;
    private bool _done;

    // Two buffers taking turns: the previous batch may still be being sent while the next one is read.
    private readonly CsvRowBuilder[] _buffers = [new(dialect), new(dialect)];
    private int _turn;

    public CsvRowBuilder Rows => _buffers[_turn];

    public async Task<int> ReadNextAsync(CancellationToken cancellationToken)
    {
        _turn ^= 1;
        Rows.Clear();
        if (_done)
        {
            return 0;
        }

        var (count, full) = await PanelSql.ReadOnlyAsync(db, options.ExportBatchTimeout, async (connection, ct) =>
        {
            var filter = where();
            if (_last is { } last)
            {
                after(filter, last.At, last.Id);
            }

            await using var command = new NpgsqlCommand(select(filter), connection);
            filter.Bind(command);
            command.Parameters.AddWithValue("limit", options.ExportBatchSize);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var parse = rows(reader);
            var count = 0;
            while (await reader.ReadAsync(ct))
            {
                var row = parse(reader);
                _last = keyOf(row);
                writeRow(row, Rows);
                Rows.EndRow();
                count++;
                if (Rows.Buffer.Length >= MaxBatchChars)
                {
                    return (count, true); // the rest of this batch is read again, after _last, by the next one
                }
            }

            return (count, count == options.ExportBatchSize);
        }, cancellationToken);

        _done = !full;
        return count;
    }
}
