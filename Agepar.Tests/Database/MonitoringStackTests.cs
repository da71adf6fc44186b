using System.Text.Json;
using Agepar.Tests.Infrastructure;
using Npgsql;

namespace Agepar.Tests.Database;

/// <summary>
/// The run-mode monitoring stack: postgres-exporter reads statistics as agepar_monitor (and no table data), and
/// Prometheus scrapes it and the BFF's token-guarded /metrics and has loaded every rule of ops/prometheus/alerts.yml.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class MonitoringStackTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task Prometheus_loads_every_alert_rule_and_scrapes_the_exporter_and_the_bff()
    {
        using var prometheus = fixture.App.CreateHttpClient("prometheus", "http");

        using var rules = JsonDocument.Parse(await prometheus.GetStringAsync("/api/v1/rules"));
        var loaded = rules.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray()).Select(r => r.GetProperty("name").GetString()).ToHashSet();
        var defined = (await File.ReadAllLinesAsync(Path.Combine(RepoPaths.Root, "ops", "prometheus", "alerts.yml")))
            .Select(l => l.Trim()).Where(l => l.StartsWith("- alert: ", StringComparison.Ordinal)).Select(l => l["- alert: ".Length..]).ToList();
        Assert.NotEmpty(defined);
        Assert.All(defined, alert => Assert.Contains(alert, loaded));

        // Both jobs are scraped successfully (the BFF's with the run's token), within a bounded wait.
        var health = await PrometheusApi.PollAsync(prometheus, "/api/v1/targets", json =>
        {
            var targets = json.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
                .ToDictionary(t => t.GetProperty("labels").GetProperty("job").GetString()!, t => t.GetProperty("health").GetString());
            return targets.GetValueOrDefault("postgres-exporter") == "up" && targets.GetValueOrDefault("agepar-bff") == "up";
        });
        Assert.True(health.Ok, health.Last);

        var up = await PrometheusApi.PollAsync(prometheus, "/api/v1/query?query=pg_up", json =>
            json.GetProperty("data").GetProperty("result").EnumerateArray()
                .Any(r => r.GetProperty("value")[1].GetString() == "1"));
        Assert.True(up.Ok, up.Last);
        var bffMetric = await PrometheusApi.PollAsync(prometheus, "/api/v1/query?query=agepar_db_connections", json =>
            json.GetProperty("data").GetProperty("result").GetArrayLength() > 0);
        Assert.True(bffMetric.Ok, bffMetric.Last);
    }

    [Fact]
    public async Task The_exporter_reads_statistics_as_agepar_monitor_which_can_read_no_table_data()
    {
        using var exporter = fixture.App.CreateHttpClient("postgres-exporter", "http");
        var metrics = await exporter.GetStringAsync("/metrics");
        Assert.Contains("pg_up 1", metrics, StringComparison.Ordinal);
        Assert.Contains("pg_stat_database_xact_commit{datid=", metrics, StringComparison.Ordinal);

        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.Monitor));
        await connection.OpenAsync();
        Assert.True(await ScalarAsync<bool>(connection, "SELECT pg_has_role('agepar_monitor', 'pg_monitor', 'member')"));
        Assert.False(await ScalarAsync<bool>(connection, "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls FROM pg_roles WHERE rolname = 'agepar_monitor'"));
        Assert.True(await ScalarAsync<long>(connection, "SELECT count(*) FROM pg_stat_activity") > 0);
        foreach (var sql in new[] { "SELECT count(*) FROM public.users", "SELECT count(*) FROM public.audits", "INSERT INTO public.roles (name) VALUES ('x')", "CREATE TABLE public.t (x int)" })
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<object>(connection, sql));
            Assert.True(error.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {error.SqlState} {error.MessageText}");
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
