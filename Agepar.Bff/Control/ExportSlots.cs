using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Control;

/// <summary>
/// The caps on CSV exports running at once: <see cref="ControlPanelOptions.ExportMaxConcurrent"/> in the process and
/// <see cref="ControlPanelOptions.ExportMaxConcurrentPerUser"/> per user. An export holds its slot from the request
/// until its response ends (the lease is registered for disposal with the response). Counted per process: with N
/// replicas the global cap is N times this.
/// </summary>
internal sealed class ExportSlots
{
    private readonly object _gate = new();
    private readonly Dictionary<Guid, int> _perUser = [];
    private readonly IOptions<ControlPanelOptions> _options;
    private readonly Counter<long> _rejected;
    private int _running;

    public ExportSlots(IOptions<ControlPanelOptions> options, IMeterFactory meterFactory)
    {
        _options = options;
        var meter = meterFactory.Create("Agepar.Bff");
        meter.CreateObservableUpDownCounter("agepar.control.exports.active", () => Volatile.Read(ref _running),
            unit: "{export}", description: "CSV exports streaming now in this process");
        _rejected = meter.CreateCounter<long>("agepar.control.exports.rejected", unit: "{export}",
            description: "CSV exports refused (429) by the global or per-user concurrency cap");
    }

    /// <summary>A slot for <paramref name="userId"/>, or null when the global or the user's cap is reached.</summary>
    public IDisposable? TryAcquire(Guid userId)
    {
        var options = _options.Value;
        lock (_gate)
        {
            var mine = _perUser.GetValueOrDefault(userId);
            string? reason = _running >= options.ExportMaxConcurrent ? "global"
                : mine >= options.ExportMaxConcurrentPerUser ? "user"
                : null;
            if (reason is not null)
            {
                _rejected.Add(1, new KeyValuePair<string, object?>("cap", reason));
                return null;
            }

            _running++;
            _perUser[userId] = mine + 1;
            return new Lease(this, userId);
        }
    }

    private void Release(Guid userId)
    {
        lock (_gate)
        {
            _running--;
            if (_perUser[userId] <= 1)
            {
                _perUser.Remove(userId);
            }
            else
            {
                _perUser[userId]--;
            }
        }
    }

    private sealed class Lease(ExportSlots owner, Guid userId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(userId);
            }
        }
    }
}
