using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Database;

/// <summary>
/// GET /metrics (Monitoring:PrometheusEndpoint, on in the fixture with a token): the Prometheus scrape of every BFF
/// metric, and the Grafana dashboard in ops/ only charts metrics that really exist.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class PrometheusTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task Metrics_need_the_token()
    {
        using var client = fixture.CreateBffClient();
        using var anonymous = await client.GetAsync("/metrics");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "wrong") } };
        using var wrongResponse = await client.SendAsync(wrong);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
    }

    [Theory]
    [InlineData("/METRICS")]
    [InlineData("/Metrics")]
    [InlineData("/metrics/")]
    [InlineData("/Metrics/x")]
    [InlineData("/metrics/x/y")]
    public async Task Every_spelling_and_sub_path_of_metrics_needs_the_token(string path)
    {
        using var client = fixture.CreateBffClient();
        using var anonymous = await client.GetAsync(path);
        using var withToken = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", fixture.PrometheusToken) } };
        using var authorized = await client.SendAsync(withToken);
        var body = await authorized.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.DoesNotContain("# TYPE", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // With the token only the canonical path scrapes; the variants are not an alias of it.
        Assert.False(authorized.StatusCode == HttpStatusCode.OK && body.Contains("# TYPE", StringComparison.Ordinal), $"{path} served the metrics");
    }

    [Fact]
    public async Task A_token_of_another_length_or_a_prefix_of_it_is_refused()
    {
        using var client = fixture.CreateBffClient();
        foreach (var token in new[] { fixture.PrometheusToken[..^1], fixture.PrometheusToken + "0", fixture.PrometheusToken.ToUpperInvariant() + "X" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var right = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", fixture.PrometheusToken) } };
        using var ok = await client.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("# TYPE", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_scrape_has_the_database_metrics_and_every_metric_the_dashboard_charts()
    {
        var text = await ScrapeUntilAsync("agepar_db_connections");
        var names = MetricName().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Contains("agepar_db_connections", names);
        Assert.Contains("agepar_db_locks_waiting", names);
        Assert.Contains("agepar_db_table_size_bytes", names);
        Assert.Contains("agepar_db_health_latency_milliseconds_bucket", names);

        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "ops", "grafana", "agepar-database.json")));
        var charted = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            // Metric names only: the label lists of "by (...)" are not metrics.
            .SelectMany(t => PromQlMetric().Matches(GroupingLabels().Replace(t.GetProperty("expr").GetString()!, "")).Select(m => m.Value))
            .ToHashSet();
        var fromBff = charted.Where(n => !n.StartsWith("pg_", StringComparison.Ordinal)).ToList();
        var fromExporter = charted.Where(n => n.StartsWith("pg_", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(fromBff);
        Assert.NotEmpty(fromExporter);
        Assert.All(fromBff, metric => Assert.True(names.Contains(metric), $"the dashboard charts {metric}, which the BFF does not export"));

        // The panels marked (exporter) chart postgres_exporter's metrics: each must be in its scrape too.
        using var exporter = fixture.App.CreateHttpClient("postgres-exporter", "http");
        var exported = MetricName().Matches(await exporter.GetStringAsync("/metrics")).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.All(fromExporter, metric => Assert.True(exported.Contains(metric), $"the dashboard charts {metric}, which postgres_exporter does not export"));
    }

    private async Task<string> ScrapeUntilAsync(string metric)
    {
        using var client = fixture.CreateBffClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.PrometheusToken);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var text = "";
        while (clock.Elapsed < AgeparAppFixture.StepTimeout)
        {
            using var response = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            if (text.Contains(metric, StringComparison.Ordinal))
            {
                return text;
            }

            await Task.Delay(1000);
        }

        return text;
    }

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{| )", RegexOptions.Multiline)]
    private static partial Regex MetricName();

    [GeneratedRegex(@"\bby\s*\([^)]*\)")]
    private static partial Regex GroupingLabels();

    [GeneratedRegex(@"\b(?:agepar|db_client|pg)_[a-zA-Z0-9_]+\b")]
    private static partial Regex PromQlMetric();
}
