using Agepar.Data.Connection;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Agepar.Bff.Infrastructure;

/// <summary>
/// A request that could not get a database connection in time (pool exhausted past its acquire timeout, server down
/// or restarting) answers 503 ProblemDetails with Retry-After — never a hang or a 500.
/// </summary>
internal sealed partial class DatabaseUnavailableExceptionHandler(
    IProblemDetailsService problemDetails, ILogger<DatabaseUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (Classify(exception) is not { } detail)
        {
            return false;
        }

        LogUnavailable(exception, httpContext.Request.Method, httpContext.Request.Path, detail);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "O banco de dados está temporariamente indisponível.",
                Detail = detail,
                Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
                Extensions = { ["code"] = ApiProblems.DatabaseUnavailable },
            },
        });
    }

    /// <summary>The user-facing reason when <paramref name="exception"/> means "no database right now"; null otherwise.</summary>
    public static string? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException npgsql)
            {
                if (RetryCountingExecutionStrategy.IsPoolExhausted(npgsql))
                {
                    return "Todas as conexões com o banco estão ocupadas; tente de novo em instantes.";
                }

                if (npgsql.IsTransient)
                {
                    return "O banco de dados não respondeu; tente de novo em instantes.";
                }
            }
        }

        return null;
    }

    [LoggerMessage(LogLevel.Warning, "{Method} {Path} answered 503: {Reason}")]
    private partial void LogUnavailable(Exception exception, string method, string path, string reason);
}
