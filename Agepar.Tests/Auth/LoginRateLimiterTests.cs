using System.Net;
using Agepar.Bff.Auth;
using Agepar.Data;
using Agepar.Data.Auth;
using Agepar.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Agepar.Tests.Auth;

/// <summary>
/// The durable throttle's budgets against the real login_attempts table, as the BFF's database role. The addresses
/// are from the documentation ranges (RFC 3849) and only ever stored as data, so these counts do not touch the test
/// run's own 127.0.0.1.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class LoginRateLimiterTests(AgeparAppFixture fixture)
{
    private static readonly LoginRateLimitOptions Limits = new()
    {
        MaxFailuresPerAccountAndIp = 3,
        MaxFailuresPerAccount = 6,
        MaxFailuresPerIp = 4,
        Window = TimeSpan.FromMinutes(15),
    };

    [Fact]
    public async Task An_account_is_refused_from_an_address_after_its_budget_there_and_everywhere_after_the_account_cap_except_where_it_signed_in()
    {
        await using var db = await NewContextAsync();
        var limiter = new LoginRateLimiter(db, Options.Create(Limits));
        var user = await NewUserAsync();
        var account = LoginAccount.For(user, new LoginIdentifier(user.Email, false));
        var (a, b, c, known, stranger) = (Ip(), Ip(), Ip(), Ip(), Ip());

        // Known device: the owner signed in from here last week.
        await TestSql.ExecuteAsync(fixture,
            "INSERT INTO login_attempts (identifier, user_id, ip, success, reason, at) VALUES (@e, @u, @ip, true, 'ok', now() - interval '7 days')",
            ("e", user.Email), ("u", user.Id), ("ip", known));

        for (var i = 0; i < 3; i++)
        {
            Assert.Null((await limiter.BeginAsync(account, a, null, LoginAttemptReason.BadCredentials, default)).RetryAfter);
        }

        // a spent its per account-and-IP budget; b still may try (3 more → the account's 6).
        var refused = await limiter.BeginAsync(account, a, null, LoginAttemptReason.BadCredentials, default);
        Assert.NotNull(refused.RetryAfter);
        Assert.InRange(refused.RetryAfter.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        for (var i = 0; i < 3; i++)
        {
            Assert.Null((await limiter.BeginAsync(account, b, null, LoginAttemptReason.BadCredentials, default)).RetryAfter);
        }

        // The account cap is spent: a new address is refused, the owner's known address is not.
        Assert.NotNull((await limiter.BeginAsync(account, c, null, LoginAttemptReason.BadCredentials, default)).RetryAfter);
        Assert.Null((await limiter.BeginAsync(account, known, null, LoginAttemptReason.BadCredentials, default)).RetryAfter);

        // The CPF of the same user is the same account.
        var byCpf = LoginAccount.For(user, new LoginIdentifier(cpfOf[user.Id], true, user.CpfHmac));
        Assert.NotNull((await limiter.BeginAsync(byCpf, stranger, null, LoginAttemptReason.BadCredentials, default)).RetryAfter);

        // Refusals never count: 6 failures, the rest rate_limited.
        Assert.Equal(7, await CountAsync(user.Id, "bad_credentials"));
        Assert.Equal(3, await CountAsync(user.Id, "rate_limited"));
    }

    [Fact]
    public async Task A_settled_success_stops_counting_and_old_failures_expire()
    {
        await using var db = await NewContextAsync();
        var limiter = new LoginRateLimiter(db, Options.Create(Limits));
        var user = await NewUserAsync();
        var account = LoginAccount.For(user, new LoginIdentifier(user.Email, false));
        var ip = Ip();

        for (var i = 0; i < 2; i++)
        {
            await limiter.BeginAsync(account, ip, null, LoginAttemptReason.BadCredentials, default);
        }

        var right = await limiter.BeginAsync(account, ip, null, LoginAttemptReason.BadCredentials, default);
        Assert.Null(right.RetryAfter);
        await limiter.SettleAsync(right, LoginAttemptReason.Ok, success: true, default);
        Assert.Null((await limiter.BeginAsync(account, ip, null, LoginAttemptReason.BadCredentials, default)).RetryAfter);
        Assert.NotNull((await limiter.BeginAsync(account, ip, null, LoginAttemptReason.BadCredentials, default)).RetryAfter);

        // Move every failure out of the window: the account may try again.
        await TestSql.ExecuteAsync(fixture, "UPDATE login_attempts SET at = now() - interval '16 minutes' WHERE user_id = @u", ("u", user.Id));
        Assert.Null((await limiter.BeginAsync(account, ip, null, LoginAttemptReason.BadCredentials, default)).RetryAfter);
    }

    [Fact]
    public async Task An_address_is_refused_after_its_budget_across_accounts_and_unknown_identifiers_are_throttled_alike()
    {
        await using var db = await NewContextAsync();
        var limiter = new LoginRateLimiter(db, Options.Create(Limits));
        var ip = Ip();

        for (var i = 0; i < 4; i++)
        {
            var unknown = new LoginIdentifier(AuthTestData.UniqueEmail("spray"), false);
            Assert.Null((await limiter.BeginAsync(LoginAccount.For(null, unknown), ip, null, LoginAttemptReason.NotFound, default)).RetryAfter);
        }

        var fresh = new LoginIdentifier(AuthTestData.UniqueEmail("fresh"), false);
        Assert.NotNull((await limiter.BeginAsync(LoginAccount.For(null, fresh), ip, null, LoginAttemptReason.NotFound, default)).RetryAfter);
        Assert.Null((await limiter.BeginAsync(LoginAccount.For(null, fresh), Ip(), null, LoginAttemptReason.NotFound, default)).RetryAfter);

        // One unknown identifier from one address has the same per-account budget as a real account.
        var ghost = new LoginIdentifier(AuthTestData.UniqueEmail("ghost"), false);
        var other = Ip();
        var outcomes = new List<bool>();
        for (var i = 0; i < 5; i++)
        {
            outcomes.Add((await limiter.BeginAsync(LoginAccount.For(null, ghost), other, null, LoginAttemptReason.NotFound, default)).RetryAfter is null);
        }

        Assert.Equal([true, true, true, false, false], outcomes);
    }

    private async Task<User> NewUserAsync()
    {
        var (id, email, _, cpf) = await ApiSession.CreateUserAccountAsync(fixture, []);
        cpfOf[id] = cpf!;
        return new User { Id = id, Email = email, CpfHmac = TestDataKeys.Protector.Hmac(cpf!), Name = "x" };
    }

    private readonly Dictionary<Guid, string> cpfOf = [];

    private Task<long> CountAsync(Guid userId, string reason) =>
        TestSql.ScalarAsync<long>(fixture, "SELECT count(*) FROM login_attempts WHERE user_id = @u AND reason = @r", ("u", userId), ("r", reason));

    /// <summary>A random address in the IPv6 documentation prefix 2001:db8::/32 (RFC 3849): never a real client.</summary>
    private static IPAddress Ip()
    {
        var bytes = new byte[16];
        Random.Shared.NextBytes(bytes);
        (bytes[0], bytes[1], bytes[2], bytes[3]) = (0x20, 0x01, 0x0d, 0xb8);
        return new IPAddress(bytes);
    }

    private async Task<AgeparDbContext> NewContextAsync()
    {
        var options = new DbContextOptionsBuilder<AgeparDbContext>();
        options.UseAgeparNpgsql(await fixture.GetConnectionStringAsync(DbRole.App));
        return new AgeparDbContext(options.Options);
    }
}
