using System.Globalization;
using System.Text.Json;
using Agepar.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Agepar.Bff.Control;

/// <summary>Runs panel queries on the request's pooled connection, under a statement timeout.</summary>
internal static class PanelSql
{
    /// <summary>SQLSTATE 57014: the statement timeout fired.</summary>
    public const string QueryCanceled = "57014";

    /// <summary>
    /// Runs <paramref name="work"/> in a read-only transaction with <c>statement_timeout</c> = <paramref name="timeout"/>,
    /// then closes the connection, so it is back in the pool as soon as the work is done (not when the request ends).
    /// <paramref name="settings"/> (fixed SQL of ours, e.g. <c>SET LOCAL TimeZone = 'UTC'</c>) run in the same round trip.
    /// </summary>
    public static async Task<T> ReadOnlyAsync<T>(
        AgeparDbContext db, TimeSpan timeout, Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken,
        string? settings = null)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var milliseconds = ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture); // ours, not user input
            await using (var setup = new NpgsqlCommand($"SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = {milliseconds}; {settings}", connection))
            {
                await setup.ExecuteNonQueryAsync(cancellationToken);
            }

            var result = await work(connection, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Rows matching <paramref name="where"/>: counted exactly up to <paramref name="maxExact"/> (a LIMITed subquery,
    /// so the cost is bounded), otherwise the planner's row estimate (EXPLAIN), flagged as an estimate.
    /// </summary>
    public static async Task<PanelTotal> CountAsync(
        NpgsqlConnection connection, string from, SqlWhere where, int maxExact, CancellationToken cancellationToken)
    {
        await using (var count = new NpgsqlCommand($"SELECT count(*) FROM (SELECT 1 FROM {from} {where.Sql} LIMIT @cap) AS t", connection))
        {
            where.Bind(count);
            count.Parameters.AddWithValue("cap", (long)maxExact + 1);
            var exact = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            if (exact <= maxExact)
            {
                return new PanelTotal(exact, IsEstimate: false);
            }
        }

        await using var explain = new NpgsqlCommand($"EXPLAIN (FORMAT JSON) SELECT 1 FROM {from} {where.Sql}", connection);
        where.Bind(explain);
        var plan = (string)(await explain.ExecuteScalarAsync(cancellationToken))!;
        using var json = JsonDocument.Parse(plan);
        var estimate = (long)json.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
        return new PanelTotal(Math.Max(estimate, (long)maxExact + 1), IsEstimate: true);
    }
}
