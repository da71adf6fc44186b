using System.Buffers;
using System.Text.Json;
using Agepar.Bff.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agepar.Bff.Automations.Endpoints;

/// <summary>
/// Reads a submit body under a byte limit and parses it as JSON with a nesting limit. Answers 415 for a non-JSON
/// content type, 413 past the limit (declared or actual length; see <see cref="DrainAllowance"/>), 400 for malformed JSON or invalid UTF-8. The
/// message never echoes the input.
/// </summary>
internal static class SubmitBody
{
    /// <summary>Deeper documents are rejected (400); no automation needs more than a few levels.</summary>
    public const int MaxDepth = 32;

    /// <summary>How far past the limit a body is still read and discarded so the 413 reaches the client.</summary>
    public const int DrainAllowance = 1024 * 1024;

    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return (null, ApiProblems.Problem(
                StatusCodes.Status415UnsupportedMediaType, ApiProblems.UnsupportedMediaType, "O corpo deve ser JSON (Content-Type: application/json)."));
        }

        // An oversized body is still read (and discarded) up to a bounded excess before answering, so the client,
        // which is usually still sending, gets the 413 ProblemDetails instead of a connection reset. Past that bound
        // the connection is given up: protecting the server matters more than a polite answer.
        var drainLimit = (long)maxBytes + DrainAllowance;
        if (request.ContentLength > drainLimit)
        {
            request.HttpContext.Response.Headers.Connection = "close";
            return (null, TooLarge(maxBytes));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = drainLimit;
        }

        var buffer = new ArrayBufferWriter<byte>(Math.Min(maxBytes + 1, 16 * 1024));
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(8192);
                var read = await request.Body.ReadAsync(memory, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                {
                    await DiscardRestAsync(request.Body, cancellationToken);
                    return (null, TooLarge(maxBytes));
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            request.HttpContext.Response.Headers.Connection = "close";
            return (null, TooLarge(maxBytes));
        }

        if (buffer.WrittenCount == 0)
        {
            return (null, Invalid("O corpo está vazio; envie um objeto JSON."));
        }

        try
        {
            var document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return (document, null);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (linha {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
            return (null, Invalid($"JSON malformado{where}: sintaxe inválida, UTF-8 inválido ou aninhamento com mais de {MaxDepth} níveis."));
        }
    }

    private static async Task DiscardRestAsync(Stream body, CancellationToken cancellationToken)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await body.ReadAsync(scratch, cancellationToken) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static ValidationProblem Invalid(string message) =>
        ApiProblems.Validation("$", message, "O corpo da requisição não é um JSON válido.");

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, ApiProblems.BodyTooLarge, "O corpo da requisição é grande demais.", $"No máximo {maxBytes} bytes.");
}
