using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Agepar.Bff.Control;

/// <summary>
/// Streams an export chunk by chunk as <see cref="CopyCsvExport"/> reads it: the handler has waited for the first chunk
/// already (so a database error or a timeout before any row still answers a ProblemDetails), then each chunk is written
/// and flushed while the reader goes on; what waits to be sent is bounded (<see cref="CopyCsvExport.MaxPendingBytes"/>),
/// and a client too slow for it never holds a database connection. UTF-8 with a byte-order mark (so spreadsheet
/// programs read the accents right), CRLF. An error after the first byte aborts the connection, so a client never
/// mistakes a truncated file for a complete one.
/// </summary>
internal sealed partial class CsvExportResult(
    string fileName,
    IReadOnlyList<string> header,
    CsvDialect dialect,
    CopyCsvExport export) : IResult
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
            await foreach (var chunk in export.Chunks.ReadAllAsync(cancellationToken))
            {
                await body.WriteAsync(chunk.Bytes, cancellationToken);
                await body.FlushAsync(cancellationToken);
                rows += chunk.Rows;
                export.Sent(chunk);
            }

            await export.Reading;
            LogExported(logger, fileName, rows);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogExportFailed(logger, ex, fileName, rows);
            httpContext.Abort();
        }
        finally
        {
            // No read may outlive the request (it uses the request's DbContext): let it end, whatever its outcome.
            await export.Reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(LogLevel.Information, "Exported {FileName}: {RowCount} rows")]
    private static partial void LogExported(ILogger logger, string fileName, long rowCount);

    [LoggerMessage(LogLevel.Error, "Export of {FileName} failed after {RowCount} rows; connection aborted")]
    private static partial void LogExportFailed(ILogger logger, Exception exception, string fileName, long rowCount);
}
