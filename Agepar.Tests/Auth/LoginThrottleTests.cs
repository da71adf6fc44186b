using System.Net;
using System.Net.Http.Json;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Auth;

/// <summary>
/// The login throttle under concurrency, over real HTTP: a guess is counted before its password is verified, so a
/// burst of parallel guesses cannot slip past the budget, and the e-mail and CPF of one account share it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class LoginThrottleTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task Sixty_parallel_wrong_guesses_by_email_and_cpf_reach_verification_at_most_five_times()
    {
        var (id, email, password, cpf) = await ApiSession.CreateUserAccountAsync(fixture, []);
        using var client = ApiSession.AnonymousClient(fixture);

        // Half by e-mail, half by CPF: one account, one budget.
        var guesses = Enumerable.Range(0, 60).Select(async i =>
        {
            using var response = await AuthTestData.LoginAsync(client, i % 2 == 0 ? email : cpf, $"Wrong-guess-{i}x");
            return (response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta,
                Code: response.StatusCode == HttpStatusCode.TooManyRequests ? (await AuthTestData.JsonAsync(response)).GetProperty("code").GetString() : null);
        });
        var results = await Task.WhenAll(guesses);

        var verified = await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM login_attempts WHERE user_id = @id AND reason = 'bad_credentials'", ("id", id));
        var refused = await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM login_attempts WHERE user_id = @id AND reason = 'rate_limited'", ("id", id));
        Assert.Equal(5, verified);
        Assert.Equal(55, refused);
        Assert.Equal(5, results.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        var limited = results.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(55, limited.Count);
        Assert.All(limited, r =>
        {
            Assert.Equal("too_many_attempts", r.Code);
            Assert.NotNull(r.RetryAfter);
            Assert.InRange(r.RetryAfter.Value.TotalSeconds, 1, 15 * 60);
        });

        // As documented (docs/auth.md): from the address that spent the budget, even the right password waits for
        // the window; it is refused before verification and records no success.
        using var owner = await AuthTestData.LoginAsync(client, email, password);
        Assert.Equal(HttpStatusCode.TooManyRequests, owner.StatusCode);
        Assert.Equal(0, await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM login_attempts WHERE user_id = @id AND success", ("id", id)));
    }

    [Fact]
    public async Task Parallel_wrong_current_passwords_on_change_password_share_the_login_budget()
    {
        using var session = await ApiSession.CreateUserAsync(fixture, "user");

        var attempts = Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await session.Client.PostAsJsonAsync("/api/auth/change-password", new
            {
                currentPassword = $"Wrong-current-{i}x",
                newPassword = ApiSession.NewPassword(),
                newPasswordConfirm = (string?)null,
            });
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(attempts);

        // The confirmation mismatch is caught before any password check: none of these may count.
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.BadRequest, s));
        var same = ApiSession.NewPassword();
        var checks = Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await session.Client.PostAsJsonAsync("/api/auth/change-password", new
            {
                currentPassword = $"Wrong-current-{i}x",
                newPassword = same,
                newPasswordConfirm = same,
            });
            return response.StatusCode;
        });
        statuses = await Task.WhenAll(checks);

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.BadRequest));
        Assert.Equal(15, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(5, await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM login_attempts WHERE user_id = @id AND reason = 'bad_credentials'", ("id", session.UserId)));
    }
}
