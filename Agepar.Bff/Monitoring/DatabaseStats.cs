using Npgsql;

namespace Agepar.Bff.Monitoring;

/// <summary>Sessions on the database by role and state (state is <c>hidden</c> for other roles' sessions without pg_read_all_stats).</summary>
public sealed record ConnectionCount(string Role, string State, int Count);

/// <summary>Locks held or awaited in this database, by mode.</summary>
public sealed record LockCount(string Mode, bool Granted, int Count);

/// <summary>Size of a table (a partitioned one with all its partitions): heap, indexes, and the row estimate.</summary>
public sealed record TableSize(string Table, long TotalBytes, long IndexBytes, long EstimatedRows);

/// <summary>One statement from pg_stat_statements (normalized text; <c>null</c> when another role's and not visible).</summary>
public sealed record StatementStat(long QueryId, string? Query, long Calls, double TotalMs, double MeanMs, long Rows);

/// <summary>What the database looks like now: connections, locks, sizes, activity counters and the costliest statements.</summary>
public sealed record DatabaseStatsSnapshot(
    DateTimeOffset At,
    string Database,
    long DatabaseBytes,
    int MaxConnections,
    IReadOnlyList<ConnectionCount> Connections,
    IReadOnlyList<LockCount> Locks,
    int WaitingLocks,
    long OldestTransactionSeconds,
    IReadOnlyList<TableSize> Tables,
    long Commits,
    long Rollbacks,
    long Deadlocks,
    double CacheHitRatio,
    bool StatementsAvailable,
    IReadOnlyList<StatementStat> TopStatements);

/// <summary>
/// Reads <see cref="DatabaseStatsSnapshot"/> with the statistics views PostgreSQL offers every role (pg_stat_activity,
/// pg_locks, pg_stat_database, relation sizes, pg_stat_statements), so the application role needs no extra privilege.
/// </summary>
public static class DatabaseStats
{
    public static async Task<DatabaseStatsSnapshot> ReadAsync(NpgsqlConnection connection, int topStatements, CancellationToken ct)
    {
        var (database, databaseBytes, maxConnections, commits, rollbacks, deadlocks, hitRatio) = await SingleAsync(connection, """
            SELECT current_database(), pg_database_size(current_database()), current_setting('max_connections')::int,
                   xact_commit, xact_rollback, deadlocks,
                   CASE WHEN blks_hit + blks_read = 0 THEN 1 ELSE blks_hit::float8 / (blks_hit + blks_read) END
              FROM pg_stat_database WHERE datname = current_database()
            """, r => (r.GetString(0), r.GetInt64(1), r.GetInt32(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetDouble(6)), ct);

        var connections = await ListAsync(connection, """
            SELECT coalesce(usename::text, '(background)'), coalesce(state, CASE WHEN usename IS NULL THEN 'background' ELSE 'hidden' END), count(*)::int
              FROM pg_stat_activity WHERE datname = current_database() GROUP BY 1, 2 ORDER BY 1, 2
            """, r => new ConnectionCount(r.GetString(0), r.GetString(1), r.GetInt32(2)), ct);

        var locks = await ListAsync(connection, """
            SELECT mode, granted, count(*)::int FROM pg_locks
             WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database()) OR database IS NULL
             GROUP BY mode, granted ORDER BY mode, granted
            """, r => new LockCount(r.GetString(0), r.GetBoolean(1), r.GetInt32(2)), ct);

        var oldest = await SingleAsync(connection, """
            SELECT coalesce(extract(epoch FROM max(now() - xact_start))::bigint, 0)
              FROM pg_stat_activity WHERE datname = current_database() AND xact_start IS NOT NULL AND pid <> pg_backend_pid()
            """, r => r.GetInt64(0), ct);

        // Partitioned tables are reported whole (their partitions summed), partitions are not listed on their own.
        var tables = await ListAsync(connection, """
            SELECT c.relname,
                   sum(pg_total_relation_size(t.relid))::bigint,
                   sum(pg_indexes_size(t.relid))::bigint,
                   sum(greatest(p.reltuples, 0))::bigint
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              -- pg_partition_tree lists nothing for a plain table, so the table itself is added.
              CROSS JOIN LATERAL (SELECT relid FROM pg_partition_tree(c.oid) UNION SELECT c.oid) t (relid)
              JOIN pg_class p ON p.oid = t.relid
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
             GROUP BY c.relname ORDER BY 2 DESC, 1
            """, r => new TableSize(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)), ct);

        var statementsAvailable = await SingleAsync(connection,
            "SELECT to_regclass('public.pg_stat_statements') IS NOT NULL AND has_table_privilege('public.pg_stat_statements', 'SELECT')",
            r => r.GetBoolean(0), ct);
        IReadOnlyList<StatementStat> top = [];
        if (statementsAvailable)
        {
            try
            {
                top = await ListAsync(connection, $"""
                    SELECT s.queryid, CASE WHEN s.query = '<insufficient privilege>' THEN NULL ELSE left(s.query, 500) END,
                           s.calls, s.total_exec_time, s.mean_exec_time, s.rows
                      FROM public.pg_stat_statements s
                     WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND s.queryid IS NOT NULL
                     ORDER BY s.total_exec_time DESC LIMIT {Math.Clamp(topStatements, 0, 100)}
                    """, r => new StatementStat(r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2), r.GetDouble(3), r.GetDouble(4), r.GetInt64(5)), ct);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectNotInPrerequisiteState)
            {
                // The extension exists but the server was started without shared_preload_libraries=pg_stat_statements.
                statementsAvailable = false;
            }
        }

        return new DatabaseStatsSnapshot(
            DateTimeOffset.UtcNow, database, databaseBytes, maxConnections, connections, locks,
            locks.Where(l => !l.Granted).Sum(l => l.Count), oldest, tables, commits, rollbacks, deadlocks, hitRatio,
            statementsAvailable, top);
    }

    private static async Task<T> SingleAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> map, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            throw new InvalidOperationException("The statistics query returned no row.");
        }

        return map(reader);
    }

    private static async Task<IReadOnlyList<T>> ListAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> map, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(map(reader));
        }

        return list;
    }
}
