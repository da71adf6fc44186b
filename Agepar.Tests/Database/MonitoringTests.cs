using System.Net;
using System.Text.Json;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Database;

/// <summary>GET /api/admin/database/stats: what the seed asks to monitor (connections, locks, table/index sizes, pg_stat_statements), read as agepar_user.</summary>
[Collection(AppCollection.Name)]
public sealed class MonitoringTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task An_admin_sees_connections_locks_sizes_and_statements()
    {
        using var admin = await ApiSession.AdminAsync(fixture);

        using var response = await admin.Client.GetAsync("/api/admin/database/stats");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var stats = json.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("agepar", stats.GetProperty("database").GetString());
        Assert.True(stats.GetProperty("databaseBytes").GetInt64() > 0);
        Assert.True(stats.GetProperty("maxConnections").GetInt32() > 0);
        Assert.Contains(stats.GetProperty("connections").EnumerateArray(),
            c => c.GetProperty("role").GetString() == "agepar_user" && c.GetProperty("state").GetString() == "active");
        Assert.Contains(stats.GetProperty("locks").EnumerateArray(),
            l => l.GetProperty("mode").GetString() == "AccessShareLock" && l.GetProperty("granted").GetBoolean());
        var tables = stats.GetProperty("tables").EnumerateArray().ToDictionary(t => t.GetProperty("table").GetString()!, t => t);
        Assert.True(tables["audits"].GetProperty("totalBytes").GetInt64() > 0, "audits is summed over its partitions");
        Assert.True(tables["users"].GetProperty("indexBytes").GetInt64() > 0);
        Assert.DoesNotContain(tables.Keys, t => t.StartsWith("audits_", StringComparison.Ordinal));
        Assert.True(stats.GetProperty("statementsAvailable").GetBoolean(), "pg_stat_statements is preloaded and created");
        Assert.InRange(stats.GetProperty("topStatements").GetArrayLength(), 1, 10);
        Assert.InRange(stats.GetProperty("cacheHitRatio").GetDouble(), 0, 1);
    }

    [Fact]
    public async Task Plain_users_are_refused()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "user");

        using var response = await user.Client.GetAsync("/api/admin/database/stats");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
