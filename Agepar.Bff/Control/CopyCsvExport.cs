using System.Globalization;
using System.Threading.Channels;
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
/// Reads an export as a series of keyset batches (newest first, <c>WHERE (at, id) &lt; (last row) LIMIT n</c>), each one
/// a <c>COPY (…) TO STDOUT (FORMAT csv)</c> in its own read-only transaction under
/// <see cref="ControlPanelOptions.ExportBatchTimeout"/>: PostgreSQL renders the values and <see cref="CsvCopyRewriter"/>
/// turns its bytes into the export's CSV as they arrive, with no object per row. The rows go out in chunks while the
/// COPY still runs (<see cref="Chunks"/>), so a client that keeps up gets the file at the speed of the COPY itself.
/// <para>
/// A slow client never holds a database connection: the chunks waiting to be sent may hold at most
/// <see cref="MaxPendingBytes"/>; past that the batch is cut — the rest of its COPY is read and dropped, the connection
/// goes back to the pool — and the next batch starts after the last row kept, once the client has taken half of what
/// waits. Batches start at <see cref="ControlPanelOptions.ExportBatchSize"/> rows, double while the client keeps up (up to
/// <see cref="MaxBatchGrowth"/> times that) and shrink to what a cut batch kept, so the rows read and dropped never
/// exceed the rows sent. Each batch is its own snapshot; rows are never repeated or skipped because the keyset is unique
/// and ordered.
/// </para>
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
    CsvCopyRewriter rewriter)
{
    /// <summary>Bytes of rows read but not yet sent past which the batch running is cut (memory per export ≈ this + two chunks, about 5 MB).</summary>
    internal const int MaxPendingBytes = 4 * 1024 * 1024;

    /// <summary>A chunk goes out once it holds this many bytes (or at the end of a batch).</summary>
    internal const int ChunkBytes = 256 * 1024;

    /// <summary>The largest batch, in multiples of <see cref="ControlPanelOptions.ExportBatchSize"/>.</summary>
    internal const int MaxBatchGrowth = 64;

    private const string Settings =
        "SET LOCAL standard_conforming_strings = on; SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL bytea_output = 'hex'";

    private readonly Channel<Chunk> _chunks = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly SemaphoreSlim _sent = new(0);
    private readonly Stack<ByteBuffer> _free = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _pending;
    private (string At, string Id)? _last;
    private byte[] _input = new byte[64 * 1024];

    /// <summary>The chunks of the file (UTF-8 CSV records), in order; completes at the end, or with the error that ended the export.</summary>
    public ChannelReader<Chunk> Chunks => _chunks.Reader;

    /// <summary>The reading task (started by <see cref="StartAsync"/>); the caller awaits it before the request ends.</summary>
    public Task Reading { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Starts reading and waits for the first chunk (or the end, or the error of the first batch: a statement timeout
    /// before any row is still a ProblemDetails, not a cut file).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Reading = ReadAllAsync(cancellationToken);
        await Task.WhenAny(_started.Task, Reading);
        if (Reading.IsFaulted && !_started.Task.IsCompleted)
        {
            await Reading; // throws the first batch's error
        }
    }

    /// <summary>Tells the reader a chunk went out: its memory is free again.</summary>
    public void Sent(Chunk chunk)
    {
        Interlocked.Add(ref _pending, -chunk.Bytes.Length);
        lock (_free)
        {
            _free.Push(chunk.Buffer);
        }

        _sent.Release();
    }

    private async Task ReadAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            var limit = options.ExportBatchSize;
            while (true)
            {
                var (count, cut) = await PanelSql.ReadOnlyAsync(
                    db, options.ExportBatchTimeout, (connection, ct) => CopyAsync(connection, limit, ct), cancellationToken, Settings);
                if (!cut && count < limit)
                {
                    break; // the filter has no more rows
                }

                limit = cut ? Math.Max(1, count) : Math.Min(limit * 2, options.ExportBatchSize * MaxBatchGrowth);
                while (Interlocked.Read(ref _pending) > MaxPendingBytes / 2)
                {
                    await _sent.WaitAsync(cancellationToken); // a slow client: resume once it took half of what waits
                }
            }

            _started.TrySetResult();
            _chunks.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            _chunks.Writer.TryComplete(ex);
            throw;
        }
    }

    /// <summary>One batch: rows go out chunk by chunk; true when it was cut because the client fell behind.</summary>
    private async Task<(int Count, bool Cut)> CopyAsync(NpgsqlConnection connection, int limit, CancellationToken ct)
    {
        var filter = where();
        if (_last is { } last)
        {
            // The plain upper bound beside the row comparison lets the planner leave out newer partitions.
            var at = filter.Param(last.At);
            filter.And($"({source.KeyAt}, {source.KeyId}) < ({at}::timestamptz, {filter.Param(last.Id)}::{source.KeyIdType})");
            filter.And($"{source.KeyAt} <= {at}::timestamptz");
        }

        var separator = dialect.Separator == ';' ? "';'" : "','";
        var sql = filter.Inline(
            $"COPY ({source.Select}\n {filter.Sql}\n ORDER BY {source.KeyAt} DESC, {source.KeyId} DESC\n LIMIT {limit.ToString(CultureInfo.InvariantCulture)})" +
            $" TO STDOUT (FORMAT csv, DELIMITER {separator})");

        var count = 0;
        var chunkRows = 0;
        var cut = false;
        var chunk = Rent();
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
                    continue; // dropping the rest of a cut batch
                }

                end += read;
                while (rewriter.TryRewrite(_input.AsSpan(start, end - start), chunk, out var consumed))
                {
                    start += consumed;
                    count++;
                    chunkRows++;
                    if (chunk.Length >= ChunkBytes)
                    {
                        cut = !Publish(chunk, chunkRows);
                        chunk = Rent();
                        chunkRows = 0;
                        if (cut)
                        {
                            start = end = 0;
                            break;
                        }
                    }
                }
            }
        }

        if (!cut && start != end)
        {
            throw new InvalidDataException($"The COPY of an export ended inside a row ({end - start} bytes left).");
        }

        if (chunkRows > 0)
        {
            Publish(chunk, chunkRows);
        }
        else
        {
            Return(chunk);
        }

        if (count > 0)
        {
            _last = (rewriter.LastAt, rewriter.LastId);
        }

        return (count, cut);
    }

    /// <summary>Queues a chunk; false when what waits to be sent has passed <see cref="MaxPendingBytes"/> (the batch should stop).</summary>
    private bool Publish(ByteBuffer buffer, int rows)
    {
        var pending = Interlocked.Add(ref _pending, buffer.Length);
        _chunks.Writer.TryWrite(new Chunk(buffer, rows));
        _started.TrySetResult();
        return pending <= MaxPendingBytes;
    }

    private ByteBuffer Rent()
    {
        lock (_free)
        {
            if (_free.TryPop(out var buffer))
            {
                buffer.Clear();
                return buffer;
            }
        }

        return new ByteBuffer(ChunkBytes + 16 * 1024);
    }

    private void Return(ByteBuffer buffer)
    {
        lock (_free)
        {
            _free.Push(buffer);
        }
    }
}

/// <summary>A part of an export's file: whole CSV records.</summary>
internal readonly record struct Chunk(ByteBuffer Buffer, int Rows)
{
    public ReadOnlyMemory<byte> Bytes => Buffer.Written;
}
