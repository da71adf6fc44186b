using System.Diagnostics.Metrics;
using Npgsql;

namespace Agepar.Bff.Health;

/// <summary>
/// How full each Npgsql connection pool of this process is (the primary's, the replica's), read from Npgsql's own
/// instruments (meter <c>Npgsql</c>: <c>db.client.connection.count</c> by state, <c>db.client.connection.max</c>,
/// <c>db.client.connection.npgsql.timeouts</c>) with a <see cref="MeterListener"/>: Npgsql exposes no public pool
/// statistics otherwise. Published again as <c>agepar.db.pool.*</c> gauges, and read by <see cref="DatabasePoolHealthCheck"/>.
/// </summary>
internal sealed class NpgsqlPoolMonitor : IDisposable
{
    private const string PoolNameTag = "db.client.connection.pool.name";
    private const string StateTag = "db.client.connection.state";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Labels = new(StringComparer.Ordinal);

    private readonly MeterListener _listener = new();
    private readonly object _gate = new();
    private readonly Dictionary<string, PoolCounts> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _timeouts = new(StringComparer.Ordinal);

    public NpgsqlPoolMonitor(IMeterFactory meterFactory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Npgsql" && instrument.Name is "db.client.connection.count" or "db.client.connection.max" or "db.client.connection.npgsql.timeouts")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        _listener.Start();

        var meter = meterFactory.Create("Agepar.Bff");
        meter.CreateObservableGauge("agepar.db.pool.connections", () => Snapshot().SelectMany(p => new[]
            {
                new Measurement<long>(p.Used, new("pool", p.Label), new("state", "used")),
                new Measurement<long>(p.Idle, new("pool", p.Label), new("state", "idle")),
            }),
            unit: "{connection}", description: "Connections of this process's Npgsql pools, by pool and state");
        meter.CreateObservableGauge("agepar.db.pool.max", () => Snapshot().Select(p => new Measurement<long>(p.Max, new KeyValuePair<string, object?>("pool", p.Label))),
            unit: "{connection}", description: "Maximum size of each Npgsql pool of this process");
        meter.CreateObservableGauge("agepar.db.pool.saturation", () => Snapshot().Select(p => new Measurement<double>(p.Saturation, new KeyValuePair<string, object?>("pool", p.Label))),
            description: "Connections in use / maximum, per pool (1 = every connection busy: new callers wait)");
    }

    /// <summary>Every pool of this process now.</summary>
    public IReadOnlyList<PoolUsage> Snapshot()
    {
        lock (_gate)
        {
            _pools.Clear();
            _listener.RecordObservableInstruments();
            var labels = new HashSet<string>(StringComparer.Ordinal);
            var pools = new List<PoolUsage>(_pools.Count);
            foreach (var (name, counts) in _pools.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var label = Label(name);
                for (var n = 2; !labels.Add(label); n++)
                {
                    label = $"{Label(name)} #{n}"; // two pools on the same database and application, e.g. different pool sizes
                }

                pools.Add(new PoolUsage(label, counts.Used, counts.Idle, counts.Max, _timeouts.GetValueOrDefault(name)));
            }

            return pools;
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(string instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? pool = null;
        string? state = null;
        foreach (var tag in tags)
        {
            if (tag.Key == PoolNameTag)
            {
                pool = tag.Value?.ToString();
            }
            else if (tag.Key == StateTag)
            {
                state = tag.Value?.ToString();
            }
        }

        if (pool is null)
        {
            return;
        }

        lock (_gate)
        {
            if (instrument == "db.client.connection.npgsql.timeouts")
            {
                _timeouts[pool] = _timeouts.GetValueOrDefault(pool) + value; // a counter: deltas
                return;
            }

            var counts = _pools.GetValueOrDefault(pool);
            _pools[pool] = instrument == "db.client.connection.max" ? counts with { Max = value }
                : state == "used" ? counts with { Used = value }
                : state == "idle" ? counts with { Idle = value }
                : counts;
        }
    }

    /// <summary>
    /// A pool's name is its connection string without the password: shown as its Application Name (the service name,
    /// "… (replica)" for the replica's pool) and database, never the host or the user.
    /// </summary>
    // Parsing a connection string on every metric collection and health probe cost ~1 % of the BFF's CPU under load
    // (bench/RESULTS.md, "Ratios"); a process has a handful of pools, so each name is parsed once.
    private static string Label(string poolName) => Labels.GetOrAdd(poolName, static name =>
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(name);
            return builder.Host is null ? name : $"{builder.ApplicationName ?? "npgsql"}/{builder.Database}";
        }
        catch (ArgumentException)
        {
            return name; // a data source with an explicit name
        }
    });

    private readonly record struct PoolCounts(long Used, long Idle, long Max);
}

/// <summary>One pool: connections in use and idle, its maximum, and acquire timeouts seen since this process started watching.</summary>
internal sealed record PoolUsage(string Label, long Used, long Idle, long Max, long Timeouts)
{
    public double Saturation => Max <= 0 ? 0 : (double)Used / Max;
}
