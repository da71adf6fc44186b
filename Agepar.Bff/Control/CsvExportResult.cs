using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Npgsql;

namespace Agepar.Bff.Control;

/// <summary>
/// Streams a query's rows as CSV while they are read: the reader is opened first (so a database error still answers
/// a ProblemDetails), then each row is written and the response flushed every N rows. Memory stays constant
/// whatever the row count. UTF-8 with a byte-order mark (so spreadsheet programs read the accents right), CRLF.
/// An error after the first byte aborts the connection, so a client never mistakes a truncated file for a complete one.
/// </summary>
internal sealed partial class CsvExportResult(
    string fileName,
    IReadOnlyList<string> header,
    Func<CancellationToken, Task<NpgsqlDataReader>> openReader,
    Action<NpgsqlDataReader, CsvRowBuilder> writeRow,
    int flushEveryRows) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var cancellationToken = httpContext.RequestAborted;
        await using var reader = await openReader(cancellationToken);

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
            await using var writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 16 * 1024, leaveOpen: true);
            var row = new CsvRowBuilder();
            row.Buffer.Append('\uFEFF');
            row.AddRow(header);
            await writer.WriteAsync(row.Buffer, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                row.Clear();
                writeRow(reader, row);
                row.EndRow();
                await writer.WriteAsync(row.Buffer, cancellationToken);
                if (++rows % flushEveryRows == 0)
                {
                    await writer.FlushAsync(cancellationToken);
                }
            }

            await writer.FlushAsync(cancellationToken);
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
