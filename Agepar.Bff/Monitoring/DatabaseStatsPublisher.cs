using System.Diagnostics.Metrics;
using Agepar.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Agepar.Bff.Monitoring;

/// <summary>
/// Reads <see cref="DatabaseStats"/> every <see cref="MonitoringOptions.RefreshInterval"/> and publishes it as
/// OpenTelemetry gauges on the <c>Agepar.Bff</c> meter (the dashboard's Metrics tab, or any OTLP backend): sessions
/// by role and state, locks by mode (and waiting), the oldest open transaction, database and table sizes, and the
/// database's commit, rollback and deadlock counters. Every replica reports the same database-wide values: aggregate
/// them with max, not sum.
/// </summary>
internal sealed partial class DatabaseStatsPublisher : BackgroundService
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<MonitoringOptions> _options;
    private readonly ILogger<DatabaseStatsPublisher> _logger;
    private volatile DatabaseStatsSnapshot? _latest;

    public DatabaseStatsPublisher(IServiceScopeFactory scopes, IOptions<MonitoringOptions> options, IMeterFactory meterFactory, ILogger<DatabaseStatsPublisher> logger)
    {
        _scopes = scopes;
        _options = options;
        _logger = logger;
        var meter = meterFactory.Create("Agepar.Bff");
        meter.CreateObservableGauge("agepar.db.connections", () => From(s => s.Connections.Select(c =>
            new Measurement<int>(c.Count, new KeyValuePair<string, object?>("role", c.Role), new KeyValuePair<string, object?>("state", c.State)))),
            description: "Sessions on the database, by role and state.");
        meter.CreateObservableGauge("agepar.db.connections.max", () => From<int>(s => [new Measurement<int>(s.MaxConnections)]),
            description: "The server's max_connections.");
        meter.CreateObservableGauge("agepar.db.locks", () => From(s => s.Locks.Select(l =>
            new Measurement<int>(l.Count, new KeyValuePair<string, object?>("mode", l.Mode), new KeyValuePair<string, object?>("granted", l.Granted)))),
            description: "Locks in the database, by mode and whether granted.");
        meter.CreateObservableGauge("agepar.db.locks.waiting", () => From<int>(s => [new Measurement<int>(s.WaitingLocks)]),
            description: "Lock requests waiting (not granted).");
        meter.CreateObservableGauge("agepar.db.transaction.oldest", () => From<long>(s => [new Measurement<long>(s.OldestTransactionSeconds)]),
            unit: "s", description: "Age of the oldest open transaction (long ones block vacuum and hold locks).");
        meter.CreateObservableGauge("agepar.db.size", () => From<long>(s => [new Measurement<long>(s.DatabaseBytes)]),
            unit: "By", description: "Size of the database.");
        meter.CreateObservableGauge("agepar.db.table.size", () => From(s => s.Tables.Select(t =>
            new Measurement<long>(t.TotalBytes, new KeyValuePair<string, object?>("table", t.Table)))),
            unit: "By", description: "Size of each table with its indexes and TOAST (partitioned tables summed over partitions).");
        meter.CreateObservableGauge("agepar.db.index.size", () => From(s => s.Tables.Select(t =>
            new Measurement<long>(t.IndexBytes, new KeyValuePair<string, object?>("table", t.Table)))),
            unit: "By", description: "Size of each table's indexes.");
        meter.CreateObservableCounter("agepar.db.transactions", () => From(s => new[]
        {
            new Measurement<long>(s.Commits, new KeyValuePair<string, object?>("outcome", "commit")),
            new Measurement<long>(s.Rollbacks, new KeyValuePair<string, object?>("outcome", "rollback")),
        }), description: "Transactions committed and rolled back in the database (server counters).");
        meter.CreateObservableCounter("agepar.db.deadlocks", () => From<long>(s => [new Measurement<long>(s.Deadlocks)]),
            description: "Deadlocks detected in the database (server counter).");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Value.RefreshInterval);
        do
        {
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AgeparDbContext>();
                await db.Database.OpenConnectionAsync(stoppingToken);
                try
                {
                    _latest = await DatabaseStats.ReadAsync((NpgsqlConnection)db.Database.GetDbConnection(), 0, stoppingToken);
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // The gauges keep the last values; /api/health reports the outage itself.
                LogRefreshFailed(ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private IEnumerable<Measurement<T>> From<T>(Func<DatabaseStatsSnapshot, IEnumerable<Measurement<T>>> select)
        where T : struct =>
        _latest is { } snapshot ? select(snapshot) : [];

    [LoggerMessage(LogLevel.Warning, "Could not read the database statistics")]
    private partial void LogRefreshFailed(Exception exception);
}
