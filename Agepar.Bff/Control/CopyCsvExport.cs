using System.Globalization;
using Agepar.Data;
using Npgsql;

namespace Agepar.Bff.Control;

/// <summary>
/// What an export reads: the SELECT (without WHERE, ORDER BY, LIMIT), its keyset (newest first) and the output columns.
/// </summary>
/// <param name="Select"><c>SELECT … FROM t a</c>: fixed SQL, its columns in the order of <paramref name="Columns"/>.</param>
/// <param name="KeyAt">The keyset's timestamp column (<c>a.occurred_at</c>).</param>
/// <param name="KeyId">The keyset's tie-breaker (<c>a.id</c>), unique.</param>
/// <param name="KeyIdType">The SQL type of <paramref name="KeyId"/>.</param>
/// <param name="AtField">The input field holding <paramref name="KeyAt"/>.</param>
/// <param name="IdField">The input field holding <paramref name="KeyId"/>.</param>
internal sealed record CsvCopySource(
    string Select, string KeyAt, string KeyId, string KeyIdType, CsvCopyColumn[] Columns, int AtField, int IdField);

/// <summary>
/// Reads an export in keyset batches (newest first, <c>WHERE (at, id) &lt; (last row) LIMIT n</c>), each one a
/// <c>COPY (…) TO STDOUT (FORMAT csv)</c>: PostgreSQL renders the values and <see cref="CsvCopyRewriter"/> turns its
/// bytes into the export's CSV as they arrive, with no object per row. Each batch opens a pooled connection, runs in its
/// own read-only transaction under <see cref="ControlPanelOptions.ExportBatchTimeout"/>, and gives the connection back
/// before anything is sent to the client: a slow client only ever holds memory (two batches), never a database
/// connection. Each batch is its own snapshot; rows are never repeated or skipped because the keyset is unique and
/// ordered.
/// <para>
/// COPY takes no parameters, so the filters are inlined as literals (<see cref="SqlWhere.Inline"/>) under
/// <c>standard_conforming_strings = on</c>, set in the batch's transaction with the output settings the rewriter
/// relies on (UTC, ISO dates, hex bytea).
/// </para>
/// </summary>
internal sealed class CopyCsvExport(
    AgeparDbContext db,
    ControlPanelOptions options,
    CsvDialect dialect,
    CsvCopySource source,
    Func<SqlWhere> where,
    CsvCopyRewriter rewriter) : ICsvBatches
{
    /// <summary>
    /// A batch keeps no rows past this many bytes (the rest of its COPY is read and dropped, and read again by the next
    /// batch); the next batch asks for as many rows as fit, so rows with large JSON keep memory bounded.
    /// </summary>
    internal const int MaxBatchBytes = 4 * 1024 * 1024;

    private const string Settings =
        "SET LOCAL standard_conforming_strings = on; SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL bytea_output = 'hex'";

    private (string At, string Id)? _last;
    private bool _done;
    private int _limit = options.ExportBatchSize;
    private byte[] _input = new byte[64 * 1024];

    // Two buffers taking turns: the previous batch may still be being sent while the next one is read.
    private readonly ByteBuffer[] _buffers = [new(), new()];
    private int _turn;

    public ReadOnlyMemory<byte> Batch => _buffers[_turn].Written;

    public async Task<int> ReadNextAsync(CancellationToken cancellationToken)
    {
        _turn ^= 1;
        var output = _buffers[_turn];
        output.Clear();
        if (_done)
        {
            return 0;
        }

        var limit = _limit;
        var (count, full) = await PanelSql.ReadOnlyAsync(
            db, options.ExportBatchTimeout, (connection, ct) => CopyAsync(connection, limit, output, ct), cancellationToken, Settings);

        _done = !full;
        if (count > 0)
        {
            // As many rows as fit in a batch at this batch's average size (the next rows are likely alike).
            _limit = (int)Math.Clamp(MaxBatchBytes / Math.Max(1, output.Length / count), 1, options.ExportBatchSize);
        }

        return count;
    }

    private async Task<(int Count, bool Full)> CopyAsync(NpgsqlConnection connection, int limit, ByteBuffer output, CancellationToken ct)
    {
        var filter = where();
        if (_last is { } last)
        {
            filter.And($"({source.KeyAt}, {source.KeyId}) < ({filter.Param(last.At)}::timestamptz, {filter.Param(last.Id)}::{source.KeyIdType})");
        }

        var separator = dialect.Separator == ';' ? "';'" : "','";
        var sql = filter.Inline(
            $"COPY ({source.Select}\n {filter.Sql}\n ORDER BY {source.KeyAt} DESC, {source.KeyId} DESC\n LIMIT {limit.ToString(CultureInfo.InvariantCulture)})" +
            $" TO STDOUT (FORMAT csv, DELIMITER {separator})");

        var count = 0;
        var cut = false;
        int start = 0, end = 0;
        // A text COPY (the raw-copy API takes binary only), read as bytes: the reader's BaseStream is Npgsql's raw COPY
        // stream, and the reader itself never reads (no decoding to UTF-16 and back).
        await using (var text = await connection.BeginTextExportAsync(sql, ct))
        {
            var copy = text.BaseStream;
            while (true)
            {
                if (end == _input.Length)
                {
                    if (start > 0)
                    {
                        _input.AsSpan(start, end - start).CopyTo(_input);
                        end -= start;
                        start = 0;
                    }
                    else
                    {
                        Array.Resize(ref _input, _input.Length * 2); // one row longer than the buffer
                    }
                }

                var read = await copy.ReadAsync(_input.AsMemory(end), ct);
                if (read == 0)
                {
                    break;
                }

                if (cut)
                {
                    continue; // dropping the rest of a full batch
                }

                end += read;
                while (rewriter.TryRewrite(_input.AsSpan(start, end - start), output, out var consumed))
                {
                    start += consumed;
                    count++;
                    if (output.Length >= MaxBatchBytes)
                    {
                        cut = true;
                        start = end = 0;
                        break;
                    }
                }
            }
        }

        if (start != end)
        {
            throw new InvalidDataException($"The COPY of an export ended inside a row ({end - start} bytes left).");
        }

        if (count > 0)
        {
            _last = (rewriter.LastAt, rewriter.LastId);
        }

        return (count, cut || count == limit);
    }
}
