using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace Agepar.Data.Connection;

/// <summary>
/// Npgsql's retrying execution strategy that also counts and logs each retry, so accumulating retries are visible
/// (metric <c>agepar.db.retries</c>) before they become failures.
/// </summary>
public sealed class RetryCountingExecutionStrategy(ExecutionStrategyDependencies dependencies, int maxRetryCount, TimeSpan maxRetryDelay)
    : NpgsqlRetryingExecutionStrategy(dependencies, maxRetryCount, maxRetryDelay, errorCodesToAdd: null)
{
    /// <summary>
    /// Pool exhaustion is not retried: the caller already waited the full acquire timeout, and retrying would
    /// multiply that wait instead of answering 503.
    /// </summary>
    protected override bool ShouldRetryOn(Exception? exception) =>
        exception is not null && !IsPoolExhausted(exception) && base.ShouldRetryOn(exception);

    /// <summary>True for Npgsql's "connection pool has been exhausted" timeout.</summary>
    public static bool IsPoolExhausted(Exception exception) =>
        exception is Npgsql.NpgsqlException { InnerException: TimeoutException }
        && exception.Message.Contains("pool", StringComparison.OrdinalIgnoreCase);

    protected override void OnRetry()
    {
        var error = ExceptionsEncountered[^1];
        DatabaseMetrics.Retries.Add(1, new KeyValuePair<string, object?>("error.type", error.GetType().Name));
        Dependencies.Logger.Logger.LogWarning(
            error, "Database operation failed transiently; retry {RetryCount} of {MaxRetryCount}", ExceptionsEncountered.Count, MaxRetryCount);
        base.OnRetry();
    }
}
