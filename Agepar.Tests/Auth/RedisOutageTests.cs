using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agepar.Bff.Auth;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Auth;

/// <summary>Redis is a cache: with it stopped, sign-in and authenticated requests still work and health says Degraded.</summary>
[Collection(AppCollection.Name)]
public sealed class RedisOutageTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task With_redis_stopped_login_and_sessions_work_from_the_database_and_health_is_degraded()
    {
        using var before = await ApiSession.CreateUserAsync(fixture, "user");
        var (_, email, password, _) = await ApiSession.CreateUserAccountAsync(fixture, ["user"]);
        using var admin = await ApiSession.AdminAsync(fixture);
        using var health = fixture.CreateBffClient();

        await fixture.App.ResourceCommands.ExecuteCommandAsync("redis", "resource-stop");
        try
        {
            var degraded = await PollHealthAsync(health, "Degraded");
            Assert.Equal("Degraded", degraded.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());

            // A session opened before the outage keeps working.
            Assert.Equal(HttpStatusCode.OK, (await before.Client.GetAsync("/api/me")).StatusCode);

            // A new login works, and so does a write with CSRF.
            using var during = await ApiSession.LoginAsync(fixture, email, password);
            var me = await during.Client.GetFromJsonAsync<MeResponse>("/api/me");
            Assert.Equal(email, me!.Email);

            // Invalidation still holds without the cache: a block is enforced on the next request.
            using (var block = await admin.Client.PostAsync($"/api/admin/users/{before.UserId}/block", null))
            {
                Assert.Equal(HttpStatusCode.OK, block.StatusCode);
            }

            Assert.Equal(HttpStatusCode.Unauthorized, (await before.Client.GetAsync("/api/me")).StatusCode);
            using var logout = await during.Client.PostAsync("/api/auth/logout", null);
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await during.Client.GetAsync("/api/me")).StatusCode);
        }
        finally
        {
            await fixture.App.ResourceCommands.ExecuteCommandAsync("redis", "resource-start");
        }

        await PollHealthAsync(health, "Healthy");
        using var after = await ApiSession.LoginAsync(fixture, email, password);
        Assert.Equal(HttpStatusCode.OK, (await after.Client.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.Client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_hung_redis_is_reported_degraded_by_the_background_ping_and_healthy_again_when_it_answers()
    {
        using var admin = await ApiSession.AdminAsync(fixture);
        var redis = await fixture.ContainerIdAsync("redis");

        // Paused, the server keeps its connections open and answers nothing: the worst case for a PING per probe.
        await ContainerEngine.RunAsync("pause", redis);
        try
        {
            var hung = await HealthProbe.WaitForAsync(fixture, admin.Client, "redis Degraded", (_, body) =>
                body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString() == "Degraded", "redis", "bff");
            var description = hung.GetProperty("checks").GetProperty("redis").GetProperty("description").GetString();
            Assert.Matches("has not answered a PING|no answer to PING|[Tt]imeout", description);

            // The probes themselves are not held by the hung server: ten at once all answer (Degraded is 200).
            using var anonymous = fixture.CreateBffClient();
            var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => anonymous.GetAsync("/api/health")));
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
            foreach (var answer in answers)
            {
                answer.Dispose();
            }
        }
        finally
        {
            await ContainerEngine.RunAsync("unpause", redis);
        }

        var back = await HealthProbe.WaitForAsync(fixture, admin.Client, "redis Healthy", (_, body) =>
            body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString() == "Healthy", "redis", "bff");
        Assert.True(back.GetProperty("checks").GetProperty("redis").GetProperty("data").TryGetProperty("latencyMs", out _));
    }

    /// <summary>Polls /api/health (bounded) until its overall status is <paramref name="status"/>.</summary>
    private Task<JsonElement> PollHealthAsync(HttpClient client, string status) =>
        HealthProbe.WaitForAsync(fixture, client, status, (_, body) => body.GetProperty("status").GetString() == status, "redis", "bff");
}
