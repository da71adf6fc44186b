using System.Net;
using System.Text.Json;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Database;

/// <summary>/api/health tells the truth through a database outage: 503 while postgres is down, 200 once it is back.</summary>
[Collection(AppCollection.Name)]
public sealed class OutageTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task Health_is_503_while_postgres_is_stopped_and_200_after_it_restarts()
    {
        using var client = fixture.CreateBffClient();
        await using var asynchronous = await fixture.AsynchronousReplicationAsync();
        await fixture.App.ResourceCommands.ExecuteCommandAsync("postgres", "resource-stop");
        try
        {
            var down = await PollAsync(client, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("Unhealthy", down.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        }
        finally
        {
            await fixture.App.ResourceCommands.ExecuteCommandAsync("postgres", "resource-start");
        }

        var up = await PollAsync(client, HttpStatusCode.OK);
        Assert.Equal("Healthy", up.GetProperty("checks").GetProperty("schema").GetProperty("status").GetString());
    }

    private Task<JsonElement> PollAsync(HttpClient client, HttpStatusCode expected) =>
        HealthProbe.WaitForAsync(fixture, client, ((int)expected).ToString(), (status, _) => status == expected, "postgres", "bff");
}
