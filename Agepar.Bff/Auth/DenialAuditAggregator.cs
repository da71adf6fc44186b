using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Auth;

/// <summary>
/// Decides which access denials become audit rows (see <see cref="DenialAuditOptions"/>). The first refusals of a
/// key in a window are written at once (the first with any refusals still pending); once the key's rows for the
/// window are used, refusals are only counted, and <see cref="DenialAuditFlusher"/> writes them as one summary row
/// when the window has passed (which opens the next window).
/// </summary>
internal sealed class DenialAuditAggregator(IOptions<DenialAuditOptions> options, TimeProvider time)
{
    private const string OverflowIp = "*";
    private readonly ConcurrentDictionary<DenialKey, Tally> _tallies = new();

    /// <summary>
    /// Claims a row for this denial while its key has rows left in the current window (one for anonymous callers,
    /// <see cref="DenialAuditOptions.SignedInRowsPerWindow"/> for signed-in ones): returns how many refusals the row
    /// stands for (≥ 1), or 0 when the denial was counted for a later summary instead.
    /// </summary>
    public long Claim(DenialKey key, DenialSample sample)
    {
        var o = options.Value;
        if (!_tallies.ContainsKey(key) && _tallies.Count >= o.MaxTrackedKeys)
        {
            key = key with { Ip = OverflowIp, UserId = null, Endpoint = null };
        }

        var rowsPerWindow = key.UserId is null ? 1 : o.SignedInRowsPerWindow;
        var tally = _tallies.GetOrAdd(key, _ => new Tally());
        var now = time.GetUtcNow();
        lock (tally)
        {
            tally.Last = sample;
            if (tally.WindowStart is not { } start || now - start >= o.Window)
            {
                var count = tally.Pending + 1;
                (tally.WindowStart, tally.Written, tally.Pending, tally.FirstPendingAt) = (now, 1, 0, null);
                return count;
            }

            if (tally.Written < rowsPerWindow)
            {
                tally.Written++;
                return 1;
            }

            tally.FirstPendingAt ??= now;
            tally.Pending++;
            return 0;
        }
    }

    /// <summary>
    /// The summaries due now (pending refusals whose key's window has passed, or every pending one when
    /// <paramref name="all"/>), each opening its key's next window; forgets keys that have been quiet for two windows.
    /// </summary>
    public List<DenialSummary> TakeDue(bool all = false)
    {
        var now = time.GetUtcNow();
        var window = options.Value.Window;
        var due = new List<DenialSummary>();
        foreach (var (key, tally) in _tallies)
        {
            lock (tally)
            {
                var expired = tally.WindowStart is not { } start || now - start >= window;
                if (tally.Pending > 0 && (all || expired))
                {
                    due.Add(new DenialSummary(key, tally.Pending, tally.FirstPendingAt ?? now, now, tally.Last!));
                    (tally.WindowStart, tally.Written, tally.Pending, tally.FirstPendingAt) = (now, 1, 0, null);
                }
                else if (tally.Pending == 0 && tally.WindowStart is { } quiet && now - quiet >= 2 * window)
                {
                    _tallies.TryRemove(new KeyValuePair<DenialKey, Tally>(key, tally));
                }
            }
        }

        return due;
    }

    /// <summary>
    /// The key rows are aggregated by: client IP, the signed-in user (null: anonymous) and the reason code — and, for a
    /// signed-in user, the endpoint, so each distinct thing a known user was refused still has its own row.
    /// </summary>
    public readonly record struct DenialKey(string Ip, Guid? UserId, string Code, string? Endpoint);

    private sealed class Tally
    {
        public DateTimeOffset? WindowStart;
        public int Written;
        public long Pending;
        public DateTimeOffset? FirstPendingAt;
        public DenialSample? Last;
    }
}

/// <summary>What a summary row tells of the refusals it stands for: the last one's request line and client.</summary>
internal sealed record DenialSample(int Status, string Method, string Path, string Endpoint, string? UserAgent, string? Kind, object? Requirement);

/// <summary>One summary row to write: <paramref name="Count"/> refusals of <paramref name="Key"/> between the two times.</summary>
internal sealed record DenialSummary(DenialAuditAggregator.DenialKey Key, long Count, DateTimeOffset FirstAt, DateTimeOffset LastAt, DenialSample Last);
