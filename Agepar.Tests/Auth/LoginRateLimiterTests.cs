using System.Net;
using Agepar.Bff.Auth;
using Agepar.Data;
using Agepar.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Agepar.Tests.Auth;

/// <summary>
/// The durable throttle against the real login_attempts table, as the BFF's database role. The addresses are from
/// the documentation range (RFC 5737) and only ever stored as data, so these counts do not touch the test run's
/// own 127.0.0.1.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class LoginRateLimiterTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task An_ip_is_refused_after_its_limit_of_failures_across_identifiers_and_an_identifier_after_its_own()
    {
        var ip = IPAddress.Parse($"203.0.113.{Random.Shared.Next(1, 255)}");
        await using var db = await NewContextAsync();
        var limiter = new LoginRateLimiter(db, Options.Create(new LoginRateLimitOptions { MaxFailuresPerIdentifier = 5, MaxFailuresPerIp = 3 }), TimeProvider.System);
        await ClearAsync(ip);

        for (var i = 0; i < 2; i++)
        {
            await AddAttemptAsync(AuthTestData.UniqueEmail("spray"), ip, "not_found");
        }

        Assert.Null(await limiter.RetryAfterAsync(AuthTestData.UniqueEmail("fresh"), ip, CancellationToken.None));
        await AddAttemptAsync(AuthTestData.UniqueEmail("spray"), ip, "bad_credentials");
        var wait = await limiter.RetryAfterAsync(AuthTestData.UniqueEmail("fresh"), ip, CancellationToken.None);
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));

        // Refusals and successes do not count; another address is unaffected.
        var other = IPAddress.Parse("198.51.100.7");
        Assert.Null(await limiter.RetryAfterAsync(AuthTestData.UniqueEmail("fresh"), other, CancellationToken.None));
        var identifier = AuthTestData.UniqueEmail("target");
        for (var i = 0; i < 10; i++)
        {
            await AddAttemptAsync(identifier, other, i % 2 == 0 ? "rate_limited" : "ok", success: i % 2 == 1);
        }

        Assert.Null(await limiter.RetryAfterAsync(identifier, null, CancellationToken.None));

        // Failures older than the window have expired.
        await ClearAsync(ip);
        await TestSql.ExecuteAsync(fixture,
            "INSERT INTO login_attempts (identifier, ip, success, reason, at) SELECT @i, @ip, false, 'bad_credentials', now() - interval '16 minutes' FROM generate_series(1, 10)",
            ("i", identifier), ("ip", ip));
        Assert.Null(await limiter.RetryAfterAsync(identifier, ip, CancellationToken.None));
        await ClearAsync(ip);
    }

    private async Task<AgeparDbContext> NewContextAsync()
    {
        var options = new DbContextOptionsBuilder<AgeparDbContext>();
        options.UseAgeparNpgsql(await fixture.GetConnectionStringAsync(DbRole.App));
        return new AgeparDbContext(options.Options);
    }

    private Task AddAttemptAsync(string identifier, IPAddress ip, string reason, bool success = false) =>
        TestSql.ExecuteAsync(fixture,
            "INSERT INTO login_attempts (identifier, ip, success, reason) VALUES (@i, @ip, @s, @r)",
            ("i", identifier), ("ip", ip), ("s", success), ("r", reason));

    private Task ClearAsync(IPAddress ip) => TestSql.ExecuteAsync(fixture, "DELETE FROM login_attempts WHERE ip = @ip", ("ip", ip));
}
