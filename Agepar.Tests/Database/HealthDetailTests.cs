using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agepar.Bff.Health;
using Agepar.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Agepar.Tests.Database;

/// <summary>
/// /api/health shows anonymous callers the status, duration and latency of each check only; descriptions and data
/// (exception text, hosts, migration names) are for signed-in admins. The schema check is cached.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class HealthDetailTests(AgeparAppFixture fixture)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_flood_of_anonymous_probes_while_the_database_stalls_shares_one_round_trip()
    {
        using var client = fixture.CreateBffClient();
        var before = await DatabaseChecksRunAsync(null);
        var postgres = await fixture.ContainerIdAsync("postgres");

        // Paused, PostgreSQL keeps its connections and answers nothing: the first probe's SELECT 1 waits, and every
        // probe after it joins that run instead of taking a pooled connection of its own.
        await ContainerEngine.RunAsync("pause", postgres);
        List<Task<HttpResponseMessage>> probes;
        try
        {
            probes = [.. Enumerable.Range(0, 50).Select(_ => client.GetAsync("/api/health"))];
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.All(probes, p => Assert.False(p.IsCompleted, "a probe answered while the database was paused"));
        }
        finally
        {
            await ContainerEngine.RunAsync("unpause", postgres);
        }

        var answers = await Task.WhenAll(probes);
        try
        {
            // The round trip took the pause: Degraded (latency over the threshold), still 200.
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        }
        finally
        {
            foreach (var answer in answers)
            {
                answer.Dispose();
            }
        }

        // Each database check records one latency; fifty probes made one (the background publisher may add one more).
        var after = await DatabaseChecksRunAsync(before);
        Assert.InRange(after - before, 1, 3);
    }

    /// <summary>
    /// The number of database health checks the BFF has run (<c>agepar_db_health_latency_milliseconds_count</c>), read
    /// from its /metrics; with <paramref name="changedFrom"/>, polled (bounded) until it differs, since the exporter may
    /// serve a cached scrape for a moment.
    /// </summary>
    private async Task<long> DatabaseChecksRunAsync(long? changedFrom)
    {
        using var client = fixture.CreateBffClient();
        using var cts = new CancellationTokenSource(AgeparAppFixture.StepTimeout);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics")
            {
                Headers = { Authorization = new AuthenticationHeaderValue("Bearer", fixture.PrometheusToken) },
            };
            using var response = await client.SendAsync(request, cts.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync(cts.Token);
            var count = Regex.Matches(text, @"(?m)^agepar_db_health_latency_milliseconds_count(?:\{[^}]*\})? (\d+)")
                .Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            if (changedFrom is null || count != changedFrom)
            {
                return count;
            }

            await Task.Delay(500, cts.Token);
        }
    }

    [Fact]
    public void A_failing_report_shows_anonymous_callers_no_exception_text_or_internal_names()
    {
        var report = new HealthReport(new Dictionary<string, HealthReportEntry>
        {
            ["database"] = new(HealthStatus.Unhealthy, "database unreachable: Failed to connect to 10.20.30.40:5432 (db-prod.agepar.internal)",
                TimeSpan.FromMilliseconds(12), new InvalidOperationException("SELECT secret FROM pg_authid"), null),
            ["schema"] = new(HealthStatus.Unhealthy, "database is behind the application: 1 pending migration(s): 20261201000000_HiddenTable",
                TimeSpan.FromMilliseconds(3), null, new Dictionary<string, object>
                {
                    ["expectedMigration"] = "20261201000000_HiddenTable",
                    ["pendingMigrations"] = new List<string> { "20261201000000_HiddenTable" },
                }),
            ["redis"] = new(HealthStatus.Healthy, "PING succeeded", TimeSpan.FromMilliseconds(1), null,
                new Dictionary<string, object> { ["latencyMs"] = 0.42 }),
        }, TimeSpan.FromMilliseconds(15));

        var anonymous = JsonSerializer.Serialize(HealthResponse.From(report, details: false), Web);
        var admin = JsonSerializer.Serialize(HealthResponse.From(report, details: true), Web);

        foreach (var secret in new[] { "10.20.30.40", "db-prod", "pg_authid", "HiddenTable", "unreachable", "pending", "PING" })
        {
            Assert.DoesNotContain(secret, anonymous, StringComparison.Ordinal);
        }

        using var json = JsonDocument.Parse(anonymous);
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal("Unhealthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal(0.42, checks.GetProperty("redis").GetProperty("data").GetProperty("latencyMs").GetDouble());
        Assert.Contains("db-prod.agepar.internal", admin, StringComparison.Ordinal);
        Assert.Contains("20261201000000_HiddenTable", admin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_health_has_no_descriptions_or_data_beyond_latency_and_admins_see_them()
    {
        using var anonymous = ApiSession.AnonymousClient(fixture);
        using var admin = await ApiSession.AdminAsync(fixture);

        var publicBody = await HealthAsync(anonymous);
        var adminBody = await HealthAsync(admin.Client);

        foreach (var check in publicBody.GetProperty("checks").EnumerateObject())
        {
            Assert.True(check.Value.GetProperty("status").GetString() is "Healthy" or "Degraded" or "Unhealthy");
            Assert.True(!check.Value.TryGetProperty("description", out var description) || description.ValueKind == JsonValueKind.Null,
                $"{check.Name} shows a description to anonymous callers: {description}");
            if (check.Value.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
            {
                Assert.All(data.EnumerateObject(), item => Assert.Equal("latencyMs", item.Name));
            }
        }

        Assert.True(publicBody.GetProperty("checks").TryGetProperty("database-pool", out _), "the pool check is listed");
        var schema = adminBody.GetProperty("checks").GetProperty("schema");
        Assert.StartsWith("schema at ", schema.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(schema.GetProperty("data").TryGetProperty("expectedMigration", out _));
        Assert.True(adminBody.GetProperty("checks").GetProperty("database-pool").GetProperty("data").EnumerateObject().Any(),
            "admins see each pool's use");
    }

    [Fact]
    public async Task The_schema_check_result_is_reused_within_its_cache_duration()
    {
        var calls = 0;
        var cached = new SchemaCheckCache(Options.Create(new HealthOptions { SchemaCheckCacheDuration = TimeSpan.FromMinutes(5) }));
        var uncached = new SchemaCheckCache(Options.Create(new HealthOptions { SchemaCheckCacheDuration = TimeSpan.Zero }));
        async Task<HealthCheckResult> Check(CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            await Task.Delay(20, ct);
            return HealthCheckResult.Healthy("schema at X");
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => cached.GetAsync(Check, CancellationToken.None)));
        Assert.Equal(1, calls);
        Assert.All(results, r => Assert.Equal(HealthStatus.Healthy, r.Status));

        calls = 0;
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => uncached.GetAsync(Check, CancellationToken.None)));
        Assert.Equal(5, calls);
    }

    private static async Task<JsonElement> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync(HealthEndpoints.HealthPath);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }
}
