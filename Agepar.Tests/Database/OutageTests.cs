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

    /// <summary>Polls /api/health until it answers <paramref name="expected"/>; fails with the last answer and the logs.</summary>
    private async Task<JsonElement> PollAsync(HttpClient client, HttpStatusCode expected)
    {
        using var cts = new CancellationTokenSource(AgeparAppFixture.StepTimeout);
        var last = "(no answer)";
        while (!cts.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync("/api/health", cts.Token);
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cts.Token)}";
                if (response.StatusCode == expected)
                {
                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cts.Token));
                    return json.RootElement.Clone();
                }
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cts.IsCancellationRequested))
            {
                last = ex.Message;
            }

            await Task.Delay(500, CancellationToken.None);
        }

        throw new TimeoutException($"/api/health never answered {(int)expected}; last: {last}\n{fixture.Logs.Dump("postgres", "bff")}");
    }
}
