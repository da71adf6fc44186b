using System.Net;
using System.Net.Http.Json;
using Agepar.Bff.Auth;
using Agepar.Tests.Infrastructure;
using StackExchange.Redis;

namespace Agepar.Tests.Auth;

/// <summary>Sliding renewal and expiry, driven by the session row (the cache is dropped so the row is re-read).</summary>
[Collection(AppCollection.Name)]
public sealed class SessionLifetimeTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task A_remember_me_session_past_half_its_lifetime_slides_and_its_cookie_is_renewed()
    {
        var (id, email, password, _) = await ApiSession.CreateUserAccountAsync(fixture, ["user"]);
        using var session = await ApiSession.LoginAsync(fixture, email, password, rememberMe: true);
        var sessionId = (await session.Client.GetFromJsonAsync<MeResponse>("/api/me"))!.SessionId;
        await TestSql.ExecuteAsync(fixture,
            "UPDATE sessions SET expires_at = now() + interval '2 days', last_seen_at = now() - interval '1 hour' WHERE id = @id", ("id", sessionId));
        await DropCachedSessionsAsync(id);

        using var response = await session.Client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("agepar_session=", StringComparison.Ordinal));
        Assert.Contains("expires=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM sessions WHERE id = @id AND expires_at > now() + interval '29 days' AND last_seen_at > now() - interval '1 minute'",
            ("id", sessionId)));
    }

    [Fact]
    public async Task An_expired_session_is_refused()
    {
        using var session = await ApiSession.CreateUserAsync(fixture, "user");
        var sessionId = (await session.Client.GetFromJsonAsync<MeResponse>("/api/me"))!.SessionId;
        await TestSql.ExecuteAsync(fixture,
            "UPDATE sessions SET expires_at = now() - interval '1 second', created_at = now() - interval '9 hours' WHERE id = @id", ("id", sessionId));
        await DropCachedSessionsAsync(session.UserId);

        using var response = await session.Client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>Bumps the user's cache generation, as the BFF does on any change, so the next request re-reads the row.</summary>
    private async Task DropCachedSessionsAsync(Guid userId)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(
            await fixture.App.GetConnectionStringAsync("redis") ?? throw new InvalidOperationException("no redis connection string"));
        await redis.GetDatabase().StringIncrementAsync("agepar:auth:user-gen:" + userId.ToString("N"));
    }
}
