using System.Net;
using System.Text.Json;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests;

[Collection(AppCollection.Name)]
public sealed class TopologyTests(AgeparAppFixture fixture)
{
    [Fact]
    public void Migration_service_finishes_with_exit_code_zero() =>
        Assert.Equal(0, fixture.MigrationsExitCode);

    [Fact]
    public async Task Health_answers_200_with_the_database_and_redis_checks_healthy()
    {
        using var client = fixture.CreateBffClient();

        using var response = await client.GetAsync("/api/health");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.True(checks.GetProperty("database").GetProperty("data").GetProperty("latencyMs").GetDouble() >= 0);
        Assert.Equal("Healthy", checks.GetProperty("redis").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Liveness_answers_without_dependency_checks()
    {
        using var client = fixture.CreateBffClient();

        using var response = await client.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var names = json.RootElement.GetProperty("checks").EnumerateObject().Select(p => p.Name).ToList();
        Assert.DoesNotContain("database", names);
        Assert.DoesNotContain("redis", names);
    }

    [Fact]
    public async Task OpenApi_document_lists_the_health_endpoints()
    {
        using var client = fixture.CreateBffClient();

        using var response = await client.GetAsync("/api/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = json.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/health", paths);
        Assert.Contains("/alive", paths);
    }
}
