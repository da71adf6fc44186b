using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Agepar.Bff.Control;

/// <summary>
/// Streams an export batch by batch: the handler has read the first batch already (so a database error or a timeout
/// still answers a ProblemDetails), then each batch is written and flushed after its connection went back to the pool,
/// while the next one is read (at most one read ahead). Memory stays at two batches whatever the row count. UTF-8 with a byte-order mark (so spreadsheet programs read the accents right), CRLF.
/// An error after the first byte aborts the connection, so a client never mistakes a truncated file for a complete one.
/// </summary>
internal sealed partial class CsvExportResult(
    string fileName,
    IReadOnlyList<string> header,
    CsvDialect dialect,
    ICsvBatches batches,
    int firstBatchRows) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var cancellationToken = httpContext.RequestAborted;
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        response.Headers.CacheControl = "no-store";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var logger = httpContext.RequestServices.GetRequiredService<ILogger<CsvExportResult>>();
        var rows = 0L;
        try
        {
            var body = response.Body;
            var head = new CsvRowBuilder(dialect);
            head.Buffer.Append('\uFEFF');
            head.AddRow(header);
            await body.WriteAsync(Encoding.UTF8.GetBytes(head.Buffer.ToString()), cancellationToken);
            var count = firstBatchRows;
            while (count > 0)
            {
                // The batch's connection is back in the pool: a slow reader only holds this buffer and the next one.
                // The next batch is read while this one is sent, so the database and the client work at the same time.
                var sending = batches.Batch;
                var next = batches.ReadNextAsync(cancellationToken);
                try
                {
                    await body.WriteAsync(sending, cancellationToken);
                    await body.FlushAsync(cancellationToken);
                }
                catch
                {
                    // No read may outlive the request (it uses the request's DbContext): let it end, whatever its outcome.
                    await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    throw;
                }

                rows += count;
                count = await next;
            }

            await body.FlushAsync(cancellationToken);
            LogExported(logger, fileName, rows);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogExportFailed(logger, ex, fileName, rows);
            httpContext.Abort();
        }
    }

    [LoggerMessage(LogLevel.Information, "Exported {FileName}: {RowCount} rows")]
    private static partial void LogExported(ILogger logger, string fileName, long rowCount);

    [LoggerMessage(LogLevel.Error, "Export of {FileName} failed after {RowCount} rows; connection aborted")]
    private static partial void LogExportFailed(ILogger logger, Exception exception, string fileName, long rowCount);
}
