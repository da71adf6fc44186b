using Agepar.Bff.Auth;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Agepar.Tests.Auth;

/// <summary>
/// The Argon2 working memory is released once hashing has been idle for the quiet period: after the last hash of a
/// burst, once per burst, never while a hash runs. Time is a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class HashMemoryReleaseTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    private sealed class Counter
    {
        private int _count;
        public int Count => Volatile.Read(ref _count);
        public void Collect() => Interlocked.Increment(ref _count);
    }

    private static (HashMemoryRelease Release, FakeTimeProvider Clock, Counter Collections) Create(TimeSpan quiet)
    {
        var clock = new FakeTimeProvider();
        var collections = new Counter();
        return (new HashMemoryRelease(quiet, clock, NullLogger.Instance, collections.Collect), clock, collections);
    }

    /// <summary>A hash that starts and ends at the same instant of the fake clock.</summary>
    private static void HashOnce(HashMemoryRelease release)
    {
        release.HashStarted();
        release.HashEnded();
    }

    [Fact]
    public void Released_once_after_the_last_hash_of_a_burst_and_the_quiet_period()
    {
        var (release, clock, collections) = Create(Quiet);
        using var _ = release;

        release.HashStarted();
        release.HashStarted();
        release.HashEnded();
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, collections.Count); // one hash still runs: its memory is in use

        release.HashEnded();
        clock.Advance(Quiet - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, collections.Count);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, collections.Count);

        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, collections.Count); // nothing hashed since: nothing to release again
    }

    [Fact]
    public void A_hash_starting_within_the_quiet_period_postpones_the_release_to_after_its_own_end()
    {
        var (release, clock, collections) = Create(Quiet);
        using var _ = release;

        HashOnce(release);
        clock.Advance(Quiet / 2);
        release.HashStarted();
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, collections.Count);

        release.HashEnded();
        clock.Advance(Quiet);
        Assert.Equal(1, collections.Count);
    }

    [Fact]
    public void A_steady_stream_of_logins_costs_no_collection_until_it_stops()
    {
        var (release, clock, collections) = Create(Quiet);
        using var _ = release;

        for (var i = 0; i < 100; i++)
        {
            release.HashStarted();
            clock.Advance(TimeSpan.FromMilliseconds(300));
            release.HashEnded();
            clock.Advance(TimeSpan.FromMilliseconds(700));
        }

        Assert.Equal(0, collections.Count);
        clock.Advance(Quiet);
        Assert.Equal(1, collections.Count);
    }

    [Fact]
    public void Bursts_timed_just_past_each_quiet_period_cost_one_collection_per_min_spacing()
    {
        var (release, clock, collections) = Create(Quiet);
        using var _ = release;

        // One login every quiet period + 100 ms, for two minutes: 58 bursts, each followed by a full quiet period.
        var elapsed = TimeSpan.Zero;
        while (elapsed < TimeSpan.FromMinutes(2))
        {
            HashOnce(release);
            clock.Advance(Quiet + TimeSpan.FromMilliseconds(100));
            elapsed += Quiet + TimeSpan.FromMilliseconds(100);
        }

        Assert.InRange(collections.Count, 4, 5); // about 120 s / 30 s, not 58
        var before = collections.Count;
        clock.Advance(HashMemoryRelease.MinSpacing);
        Assert.Equal(before + 1, collections.Count); // the last burst's memory is released once the spacing allows
    }

    [Fact]
    public void A_quiet_period_ending_within_the_min_spacing_still_releases_once_the_spacing_has_passed()
    {
        var (release, clock, collections) = Create(Quiet);
        using var _ = release;

        HashOnce(release);
        clock.Advance(Quiet);
        Assert.Equal(1, collections.Count);

        HashOnce(release);
        clock.Advance(Quiet);
        Assert.Equal(1, collections.Count); // 2 s after the first: postponed, not dropped
        clock.Advance(HashMemoryRelease.MinSpacing - Quiet - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, collections.Count);
        clock.Advance(TimeSpan.FromMilliseconds(1)); // 30 s after the first collection
        Assert.Equal(2, collections.Count);
    }

    [Fact]
    public void A_zero_quiet_period_leaves_the_memory_to_the_gc()
    {
        var (release, clock, collections) = Create(TimeSpan.Zero);
        using var _ = release;

        HashOnce(release);
        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, collections.Count);
    }

    [Fact]
    public async Task The_hasher_reports_every_hash_and_verification_including_failed_and_cancelled_ones()
    {
        var (release, clock, collections) = Create(Quiet);
        using var _ = release;
        var options = new PasswordHashingOptions { MemoryKiB = 8_192, Iterations = 1, Parallelism = 1, MaxConcurrentHashes = 2 };
        using var hasher = new PasswordHasher(Options.Create(options), release);

        var hashes = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => hasher.HashAsync($"senha-{i}-boa")));
        Assert.Equal(PasswordCheck.Failed, await hasher.VerifyAsync(hashes[0], "errada"));
        Assert.Equal(PasswordCheck.Failed, await hasher.VerifyAsync(null, "sem hash")); // the dummy verification
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hasher.HashAsync("x", new CancellationToken(canceled: true)));

        clock.Advance(Quiet);
        Assert.Equal(1, collections.Count); // every start was matched by an end: the hasher is idle
    }

    [Fact]
    public void The_quiet_period_setting_is_bounded()
    {
        var validator = new DataAnnotationValidateOptions<PasswordHashingOptions>(null);

        Assert.True(validator.Validate(null, new PasswordHashingOptions { ReleaseMemoryAfter = TimeSpan.Zero }).Succeeded);
        Assert.True(validator.Validate(null, new PasswordHashingOptions { ReleaseMemoryAfter = TimeSpan.FromHours(1) }).Succeeded);
        Assert.True(validator.Validate(null, new PasswordHashingOptions { ReleaseMemoryAfter = TimeSpan.FromSeconds(-1) }).Failed);
        Assert.True(validator.Validate(null, new PasswordHashingOptions { ReleaseMemoryAfter = TimeSpan.FromHours(2) }).Failed);
    }
}
