using System.Net;
using System.Text.Json;
using Agepar.Tests.Infrastructure;
using Npgsql;

namespace Agepar.Tests.Control;

/// <summary>
/// The control panel reads through <c>ConnectionStrings:agepar-replica</c> when it is set (the fixture sets
/// <c>Bff:ReadReplica=Streaming</c>: a hot standby kept by streaming replication), and /api/health checks that replica.
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
        // The pooled replica connections stay open after the requests, on the standby, under their own application name.
        await using var replica = new NpgsqlConnection(await fixture.GetReplicaConnectionStringAsync(DbRole.Superuser));
        await replica.OpenAsync();
        await using var count = new NpgsqlCommand("""
            SELECT count(*) FROM pg_stat_activity
             WHERE application_name = 'Agepar.Bff (replica)' AND usename = 'agepar_user'
            """, replica);
        Assert.True((long)(await count.ExecuteScalarAsync())! >= 1, "the panel should hold connections on the replica");
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
        Assert.True(replica.GetProperty("status").GetString() == "Healthy", replica.ToString());
        Assert.True(replica.GetProperty("data").GetProperty("readOnly").GetBoolean());
    }

    [Fact]
    public async Task A_row_written_on_the_primary_is_replayed_on_the_replica_which_refuses_writes_and_health_reports_its_lag()
    {
        var marker = "replica-" + Guid.NewGuid().ToString("N");
        await TestSql.ExecuteAsync(fixture, "INSERT INTO login_attempts (identifier, success, reason) VALUES (@i, false, 'not_found')", ("i", marker));

        await using var replica = new NpgsqlConnection(await fixture.GetReplicaConnectionStringAsync(DbRole.Superuser));
        await replica.OpenAsync();
        await using (var seen = new NpgsqlCommand("SELECT pg_is_in_recovery(), (SELECT count(*) FROM login_attempts WHERE identifier = @i)", replica))
        {
            seen.Parameters.AddWithValue("i", marker);
            await using var reader = await seen.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.True(reader.GetBoolean(0), "postgres-replica must be a hot standby");
            Assert.Equal(1, reader.GetInt64(1)); // synchronous (remote_apply) in the tests: replayed before the insert returned
        }

        // Even the superuser cannot write on a standby.
        await using (var write = new NpgsqlCommand("INSERT INTO login_attempts (identifier, success, reason) VALUES ('x', false, 'not_found')", replica))
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => write.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, error.SqlState);
        }

        using var admin = await ApiSession.AdminAsync(fixture);
        using var response = await admin.Client.GetAsync("/api/health");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var check = json.RootElement.GetProperty("checks").GetProperty("database-replica");
        Assert.True(check.GetProperty("status").GetString() == "Healthy", check.ToString());
        Assert.InRange(check.GetProperty("data").GetProperty("lagSeconds").GetDouble(), 0, 30);
    }
}
