using Agepar.Bff.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;

namespace Agepar.Bff.Auth;

/// <summary>
/// Unreadable request input (malformed JSON, a value of the wrong type, a missing body) answers 400 ProblemDetails,
/// never 500. Minimal APIs throw <see cref="BadHttpRequestException"/> for these in Development.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = "Não foi possível ler o corpo ou os parâmetros da requisição.",
                Detail = bad.StatusCode == StatusCodes.Status415UnsupportedMediaType
                    ? "Envie JSON com Content-Type: application/json."
                    : "Verifique a sintaxe do JSON e o tipo de cada campo.",
                Extensions =
                {
                    ["code"] = bad.StatusCode == StatusCodes.Status415UnsupportedMediaType ? ApiProblems.UnsupportedMediaType : ApiProblems.InvalidRequest,
                },
            },
        });
    }
}
