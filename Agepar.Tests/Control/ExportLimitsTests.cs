using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agepar.Bff.Auth;
using Agepar.Tests.Infrastructure;
using Npgsql;

namespace Agepar.Tests.Control;

/// <summary>
/// CSV exports cannot starve the database: they read in keyset batches and give the connection back before writing
/// to the client, so slow readers hold no connection; and the number running at once is capped globally and per
/// user (429 + Retry-After beyond).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ExportLimitsTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task Sixteen_slow_export_readers_leave_the_pool_free_for_a_login_and_the_excess_gets_429()
    {
        // ~25 MB of CSV per export, far more than the socket buffers: a slow reader keeps its export waiting to write.
        var kind = await SeedLargeExportAsync(rows: 40_000, padding: 500);
        var (_, email, password, _) = await ApiSession.CreateUserAccountAsync(fixture, ["auditor"]);
        using var admin = await ApiSession.AdminAsync(fixture);

        // A replica as `bash eng/run.sh` runs it: the panel reads the primary through the one 15-connection pool.
        // The caps are raised to 15 so that the exports alone could take every connection if they held one while
        // waiting; the acquire timeout is short so a starved login would show as 503 quickly.
        await using var replica = await BffProcess.StartAsync(fixture, new Dictionary<string, string>
        {
            ["ControlPanel__ExportMaxConcurrent"] = "15",
            ["ControlPanel__ExportMaxConcurrentPerUser"] = "15",
            ["Database__AcquireTimeoutSeconds"] = "5",
            ["Automations__Queue__Enabled"] = "false",
            ["Maintenance__Enabled"] = "false",
        });

        var readers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
            SlowHttpReader.GetAsync(replica.BaseAddress, $"/api/control/audits.csv?kind={kind}", SessionHeaders(admin))));
        try
        {
            var streaming = readers.Where(r => r.Status == 200).ToList();
            var statuses = string.Join(", ", readers.Select(r => r.Status));
            await WaitUntilAsync(() => streaming.All(r => r.BytesRead > 8192), "every slow reader received its first bytes");

            using var client = new HttpClient { BaseAddress = replica.BaseAddress, Timeout = AgeparAppFixture.StepTimeout };
            using var login = await client.PostAsJsonAsync("/api/auth/login", new { identifier = email, password });
            Assert.True(login.StatusCode == HttpStatusCode.OK, $"login during 15 slow exports: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync()}");

            using var health = await client.GetAsync("/api/health");
            using var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database-pool").GetProperty("status").GetString());

            // All of that happened while the slow readers were still connected and far from the end of their files.
            Assert.All(streaming, r => Assert.False(r.Ended, "a slow reader's export ended early"));

            // The cap (15 here) let exactly 15 stream; the 16th was refused at once, not queued for a connection.
            Assert.True(streaming.Count == 15, $"expected 15 exports streaming; statuses: {statuses}\n{replica.Output}");
            var refused = Assert.Single(readers, r => r.Status != 200);
            Assert.Equal(429, refused.Status);
            Assert.Matches(@"(?im)^Retry-After: *\d+\s*$", refused.Headers);
            Assert.Contains("application/problem+json", refused.Headers, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            foreach (var reader in readers)
            {
                await reader.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_second_export_of_the_same_user_gets_429_until_the_first_one_ends()
    {
        var kind = await SeedLargeExportAsync(rows: 10_000, padding: 2000);
        var empty = "csv-none-" + Guid.NewGuid().ToString("N")[..8];
        using var admin = await ApiSession.AdminAsync(fixture);
        using var auditor = await ApiSession.CreateUserAsync(fixture, "auditor");
        var bff = fixture.App.GetEndpoint("bff", "http");

        var first = await SlowHttpReader.GetAsync(bff, $"/api/control/audits.csv?kind={kind}", SessionHeaders(admin));
        try
        {
            Assert.Equal(200, first.Status);

            using var second = await admin.Client.GetAsync($"/api/control/submissions.csv?kind={empty}");
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
            Assert.True(second.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "429 carries Retry-After");
            Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
            Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Equal("too_many_exports", problem.RootElement.GetProperty("code").GetString());

            // Another user is not held back by the admin's export.
            using var other = await auditor.Client.GetAsync($"/api/control/audits.csv?kind={empty}");
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }
        finally
        {
            await first.DisposeAsync();
        }

        // The aborted export gives its slot back.
        await WaitUntilAsync(async () =>
        {
            using var again = await admin.Client.GetAsync($"/api/control/audits.csv?kind={empty}");
            return again.StatusCode == HttpStatusCode.OK;
        }, "the admin may export again once the first export's client went away");
    }

    [Fact]
    public async Task An_export_whose_first_batch_runs_past_its_timeout_is_a_422_and_no_file()
    {
        // A BFF with ControlPanel:ExportBatchTimeout = 1 s, and the default audit partition locked for longer than that
        // (the batch's COPY waits for the lock, as it would behind a slow scan): statement_timeout fires before any
        // row, so the answer is the ProblemDetails, not a cut file. Once the lock is gone the same export works.
        using var admin = await ApiSession.AdminAsync(fixture);
        await using var bff = await BffProcess.StartAsync(fixture, new Dictionary<string, string>
        {
            ["ControlPanel__ExportBatchTimeout"] = "00:00:01",
        });
        using var client = bff.CreateClient(admin);
        var url = $"/api/control/audits.csv?kind=timeout-{Guid.NewGuid():N}";

        await using (var owner = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.Owner)))
        {
            await owner.OpenAsync();
            await using var transaction = await owner.BeginTransactionAsync();
            await using (var lockDefault = new NpgsqlCommand("LOCK TABLE audits_default IN ACCESS EXCLUSIVE MODE", owner, transaction))
            {
                await lockDefault.ExecuteNonQueryAsync();
            }

            // The panel reads the streaming replica in the tests: wait until the standby has replayed the lock.
            await using (var standby = new NpgsqlConnection(await fixture.GetReplicaConnectionStringAsync(DbRole.Superuser)))
            {
                await standby.OpenAsync();
                await WaitUntilAsync(async () =>
                {
                    await using var locked = new NpgsqlCommand(
                        "SELECT count(*) FROM pg_locks WHERE relation = 'audits_default'::regclass AND mode = 'AccessExclusiveLock'", standby);
                    return (long)(await locked.ExecuteScalarAsync())! > 0;
                }, "the standby holds the replayed lock");
            }

            using var slow = await client.GetAsync(url);
            Assert.Equal((HttpStatusCode)422, slow.StatusCode);
            Assert.Equal("application/problem+json", slow.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await slow.Content.ReadAsStringAsync());
            Assert.Equal("query_too_broad", problem.RootElement.GetProperty("code").GetString());
            await transaction.RollbackAsync();
        }

        await WaitUntilAsync(async () =>
        {
            using var again = await client.GetAsync(url);
            return again.StatusCode == HttpStatusCode.OK;
        }, "the export works again once the lock is gone");
    }

    [Theory]
    [InlineData("tab")]
    [InlineData(";")]
    [InlineData("semicolons")]
    public async Task An_unknown_delimiter_is_a_400_naming_it(string delimiter)
    {
        using var admin = await ApiSession.AdminAsync(fixture);

        using var response = await admin.Client.GetAsync($"/api/control/audits.csv?delimiter={Uri.EscapeDataString(delimiter)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("delimiter", out _));
    }

    /// <summary>Audit rows of a new kind, each with <paramref name="padding"/> characters of metadata.</summary>
    private async Task<string> SeedLargeExportAsync(int rows, int padding)
    {
        var kind = "csv-slow-" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync(fixture, """
            INSERT INTO audits (occurred_at, action, outcome, kind, object_id, metadata)
            SELECT now() - n * interval '1 millisecond', 'submission.completed', 'success', @kind, n::text,
                   jsonb_build_object('pad', repeat('x', @padding))
              FROM generate_series(1, @rows) AS n
            """, ("kind", kind), ("rows", rows), ("padding", padding));
        return kind;
    }

    private static Dictionary<string, string> SessionHeaders(ApiSession session) => new()
    {
        ["Cookie"] = session.Cookies.GetCookieHeader(session.Client.BaseAddress!),
        [SessionAuthentication.CsrfHeaderName] = session.CsrfToken,
    };

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < AgeparAppFixture.StepTimeout, $"timed out waiting until {what}");
            await Task.Delay(250);
        }
    }
}
