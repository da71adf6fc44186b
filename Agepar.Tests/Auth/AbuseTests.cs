using System.Net;
using System.Net.Http.Json;
using Agepar.Bff.Auth;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Auth;

/// <summary>
/// Floods and privilege games against a BFF replica of its own (<see cref="BffProcess"/>, reached directly, so each
/// test's client comes from a loopback address of its own): anonymous traffic is refused before any authentication
/// work, refusals write a bounded number of audit rows that still count every one, CSRF refusals are rate limited,
/// and the bootstrap admin is created once.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AbuseTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task Two_thousand_anonymous_401s_write_two_audit_rows_that_count_all_of_them()
    {
        var replica = await BffProcess.StartAsync(fixture, new Dictionary<string, string>
        {
            ["RateLimiting__AnonymousPermitLimit"] = "100000",
            ["RateLimiting__PermitLimit"] = "100000",
            // One window for the whole burst, however slow the machine: rows are bounded by the window, not by time.
            ["Auth__DenialAudits__Window"] = "00:30:00",
        });
        var source = BffProcess.NewLoopbackAddress();
        var marker = Guid.NewGuid().ToString("N");
        try
        {
            using var client = replica.CreateClient(source);
            client.DefaultRequestHeaders.UserAgent.ParseAdd("agepar-flood/" + marker);
            var statuses = new Dictionary<HttpStatusCode, int>();
            for (var i = 0; i < 2000; i++)
            {
                using var response = await client.GetAsync(i % 2 == 0 ? "/api/me" : "/api/control/audits");
                statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            }

            Assert.Equal(2000, statuses.GetValueOrDefault(HttpStatusCode.Unauthorized));

            // The first refusal is written at once, with its client; the rest only counted so far.
            Assert.Equal(1, await RowsAsync(source));
            Assert.Equal(1, await CountedAsync(source));
            Assert.Equal(1, await TestSql.ScalarAsync<long>(fixture,
                "SELECT count(*) FROM audits WHERE action = 'auth.access_denied' AND ip = @ip AND user_agent = @ua AND actor_user_id IS NULL",
                ("ip", source), ("ua", "agepar-flood/" + marker)));
        }
        finally
        {
            // A graceful stop writes what is pending: one summary row for the other 1,999.
            await replica.TerminateAsync();
            await replica.DisposeAsync();
        }

        Assert.Equal(2, await RowsAsync(source));
        Assert.Equal(2000, await CountedAsync(source));
        Assert.Equal(1, await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM audits WHERE action = 'auth.access_denied' AND ip = @ip AND (metadata->>'aggregated')::boolean AND (metadata->>'count')::int = 1999",
            ("ip", source)));
    }

    [Fact]
    public async Task Anonymous_requests_past_the_per_ip_budget_are_429_before_authentication_and_other_addresses_are_unaffected()
    {
        await using var replica = await BffProcess.StartAsync(fixture, new Dictionary<string, string>
        {
            ["RateLimiting__AnonymousPermitLimit"] = "20",
            ["RateLimiting__AnonymousWindow"] = "00:10:00",
        });
        var source = BffProcess.NewLoopbackAddress();
        using var flood = replica.CreateClient(source);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            // A forged session cookie costs a session lookup: it draws on the same anonymous budget.
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
            if (i % 3 == 0)
            {
                request.Headers.Add("Cookie", "agepar_session=forged-" + i);
            }

            using var response = await flood.SendAsync(request);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.NotNull(response.Headers.RetryAfter?.Delta);
                Assert.Equal("too_many_attempts", (await AuthTestData.JsonAsync(response)).GetProperty("code").GetString());
            }
        }

        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        // Refusals by the budget are not audited: only the 20 refusals that got through were considered (1 row, aggregated).
        Assert.Equal(1, await RowsAsync(source));

        // Health stays exempt; another address has its own budget.
        using var health = await flood.GetAsync("/api/health");
        Assert.NotEqual(HttpStatusCode.TooManyRequests, health.StatusCode);
        using var other = replica.CreateClient(BffProcess.NewLoopbackAddress());
        using var otherResponse = await other.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, otherResponse.StatusCode);
    }

    [Fact]
    public async Task Csrf_refusals_are_rate_limited_per_user_and_audited_aggregated()
    {
        var (id, email, password, _) = await ApiSession.CreateUserAccountAsync(fixture, []);
        await using var replica = await BffProcess.StartAsync(fixture, new Dictionary<string, string>
        {
            ["RateLimiting__PermitLimit"] = "25",
            ["RateLimiting__Window"] = "00:10:00",
        });
        var cookies = new CookieContainer();
        var statuses = new List<HttpStatusCode>();
        try
        {
            using var client = replica.CreateClient(BffProcess.NewLoopbackAddress(), cookies);
            using var login = await AuthTestData.LoginAsync(client, email, password);
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);

            for (var i = 0; i < 40; i++)
            {
                using var response = await client.PostAsync("/api/auth/logout", null); // no X-CSRF-Token
                statuses.Add(response.StatusCode);
            }

            // A signed-in user's refusals of one endpoint: the first five rows one by one, the rest summed up later.
            Assert.Equal(5, await CsrfRowsAsync(id));
        }
        finally
        {
            await replica.TerminateAsync();
        }

        // The login was anonymous (the address's bucket): the user's 25 permits are all spent on these posts.
        Assert.Equal(25, statuses.Count(s => s == HttpStatusCode.Forbidden));
        Assert.Equal(15, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(6, await CsrfRowsAsync(id));
        Assert.Equal(25, await TestSql.ScalarAsync<long>(fixture,
            "SELECT sum((metadata->>'count')::bigint)::bigint FROM audits WHERE action = 'auth.access_denied' AND actor_user_id = @id AND metadata->>'code' = 'csrf_token_invalid'",
            ("id", id)));
    }

    private Task<long> CsrfRowsAsync(Guid id) =>
        TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM audits WHERE action = 'auth.access_denied' AND actor_user_id = @id AND metadata->>'code' = 'csrf_token_invalid'",
            ("id", id));

    [Fact]
    public async Task The_bootstrap_admin_is_created_once_a_renamed_one_is_never_recreated()
    {
        // The shared run already has its bootstrap admin. A BFF started with bootstrap parameters naming an e-mail no
        // user has (as after renaming that admin) must not mint a second administrator with them.
        var email = AuthTestData.UniqueEmail("bootstrap-again");
        await using var replica = await BffProcess.StartAsync(fixture, new Dictionary<string, string>
        {
            ["Bootstrap__AdminEmail"] = email,
            ["Bootstrap__AdminPassword"] = "Boot-" + Guid.NewGuid().ToString("N"),
        });

        Assert.Equal(0, await TestSql.ScalarAsync<long>(fixture, "SELECT count(*) FROM users WHERE email = @e", ("e", email)));
        Assert.Contains("an active administrator exists", replica.Output, StringComparison.Ordinal);
        await replica.TerminateAsync();
    }

    [Fact]
    public async Task With_no_active_administrator_left_the_stored_marker_still_prevents_a_second_bootstrap()
    {
        var email = AuthTestData.UniqueEmail("bootstrap-orphan");
        // Block every active administrator for the length of this test (tests run one at a time), then restore them.
        var blocked = await TestSql.ScalarAsync<Guid[]>(fixture, """
            WITH b AS (
                UPDATE users SET status = 'blocked'
                WHERE status = 'active' AND (is_superuser OR id IN (
                    SELECT ur.user_id FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE r.name = 'admin'))
                RETURNING id)
            SELECT coalesce(array_agg(id), '{}') FROM b
            """);
        try
        {
            await using var replica = await BffProcess.StartAsync(fixture, new Dictionary<string, string>
            {
                ["Bootstrap__AdminEmail"] = email,
                ["Bootstrap__AdminPassword"] = "Boot-" + Guid.NewGuid().ToString("N"),
            });

            Assert.Equal(0, await TestSql.ScalarAsync<long>(fixture, "SELECT count(*) FROM users WHERE email = @e", ("e", email)));
            Assert.Contains("a bootstrap admin was created before", replica.Output, StringComparison.Ordinal);
        }
        finally
        {
            await TestSql.ExecuteAsync(fixture, "UPDATE users SET status = 'active' WHERE id = ANY(@ids)", ("ids", blocked!));
        }
    }

    private Task<long> RowsAsync(IPAddress source) =>
        TestSql.ScalarAsync<long>(fixture, "SELECT count(*) FROM audits WHERE action = 'auth.access_denied' AND ip = @ip", ("ip", source));

    private async Task<long> CountedAsync(IPAddress source) =>
        await TestSql.ScalarAsync<long?>(fixture,
            "SELECT sum((metadata->>'count')::bigint)::bigint FROM audits WHERE action = 'auth.access_denied' AND ip = @ip", ("ip", source)) ?? 0;
}
