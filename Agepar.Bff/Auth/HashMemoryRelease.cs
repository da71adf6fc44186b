using Microsoft.Extensions.Options;

namespace Agepar.Bff.Auth;

/// <summary>
/// Gives the Argon2 working memory back to the operating system once password hashing has been idle for
/// <see cref="PasswordHashingOptions.ReleaseMemoryAfter"/>.
/// </summary>
/// <remarks>
/// Every hash or verification allocates <see cref="PasswordHashingOptions.MemoryKiB"/> (64 MiB by default) as one managed
/// array on the large-object heap. The GC frees it at some later full collection but keeps its pages committed, so a
/// BFF that had served one login held about 64 MiB more resident memory from then on, and one that had served
/// <see cref="PasswordHashingOptions.MaxConcurrentHashes"/> logins at once about four times that (bench/RESULTS.md,
/// "Resident memory"). One full collection in <see cref="GCCollectionMode.Aggressive"/> mode, which decommits the free
/// regions, returns it. It runs only after the last hash of a burst ended and none started for the quiet period, and at
/// most once per <see cref="MinSpacing"/>: a stream of logins costs no collection until it stops, and logins timed to
/// land just after each quiet period (an attacker's) cost one collection (≈ 25 ms) per half minute, never one per login.
/// </remarks>
public sealed partial class HashMemoryRelease : IDisposable
{
    /// <summary>Shortest time between two collections, whatever the logins' rhythm.</summary>
    public static readonly TimeSpan MinSpacing = TimeSpan.FromSeconds(30);

    private readonly TimeSpan _quiet;
    private readonly TimeProvider _clock;
    private readonly Action _collect;
    private readonly ILogger _logger;
    private readonly ITimer? _timer;
    private readonly Lock _lock = new();
    private int _running;
    private long? _lastCollection;

    public HashMemoryRelease(IOptions<PasswordHashingOptions> options, TimeProvider clock, ILogger<HashMemoryRelease> logger)
        : this(options.Value.ReleaseMemoryAfter, clock, logger, CollectAggressively)
    {
    }

    internal HashMemoryRelease(TimeSpan quiet, TimeProvider clock, ILogger logger, Action collect)
    {
        _quiet = quiet;
        _clock = clock;
        _collect = collect;
        _logger = logger;
        if (quiet > TimeSpan.Zero)
        {
            _timer = clock.CreateTimer(_ => OnQuiet(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>A hash is about to allocate its working memory: no release while it runs.</summary>
    public void HashStarted()
    {
        lock (_lock)
        {
            _running++;
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>A hash ended; the last one of a burst starts the quiet period.</summary>
    public void HashEnded()
    {
        lock (_lock)
        {
            _running--;
            if (_running == 0)
            {
                _timer?.Change(_quiet, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void OnQuiet()
    {
        lock (_lock)
        {
            if (_running > 0)
            {
                return; // a hash started as the timer fired; its end starts a new quiet period
            }

            if (_lastCollection is { } last && _clock.GetElapsedTime(last) is var since && since < MinSpacing)
            {
                _timer?.Change(MinSpacing - since, Timeout.InfiniteTimeSpan);
                return;
            }

            _lastCollection = _clock.GetTimestamp();
        }

        var before = Environment.WorkingSet;
        _collect();
        Log.Released(_logger, before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024));
    }

    private static void CollectAggressively() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    public void Dispose() => _timer?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Debug, "Password hashing idle: Argon2 working memory released (working set {BeforeMiB} MiB → {AfterMiB} MiB)")]
        public static partial void Released(ILogger logger, long beforeMiB, long afterMiB);
    }
}
