using System.Net;
using System.Text.Json;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Control;

/// <summary>
/// The control panel reads through <c>ConnectionStrings:agepar-replica</c> when it is set (the fixture sets
/// <c>Bff:ReadReplica=Simulated</c>: the primary in a read-only session), and /api/health checks that replica.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ReadReplicaTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task Panel_queries_run_on_the_replica_connection()
    {
        using var admin = await ApiSession.AdminAsync(fixture);

        using var audits = await admin.Client.GetAsync("/api/control/audits?limit=5");
        using var csv = await admin.Client.GetAsync("/api/control/submissions.csv");

        Assert.Equal(HttpStatusCode.OK, audits.StatusCode);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        // The pooled replica connections stay open after the requests, under their own application name, read-only.
        Assert.True(await ScalarAsync<long>(fixture, """
            SELECT count(*) FROM pg_stat_activity
             WHERE application_name = 'Agepar.Bff (replica)' AND usename = 'agepar_user'
            """) >= 1, "the panel should hold connections on the replica");
    }

    [Fact]
    public async Task Health_reports_the_replica_as_reachable_and_read_only()
    {
        // The check's data (readOnly) is a detail only admins see.
        using var admin = await ApiSession.AdminAsync(fixture);

        using var response = await admin.Client.GetAsync("/api/health");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var replica = json.RootElement.GetProperty("checks").GetProperty("database-replica");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", replica.GetProperty("status").GetString());
        Assert.True(replica.GetProperty("data").GetProperty("readOnly").GetBoolean());
    }
}
