using System.Net;
using System.Text.Json;

namespace Agepar.Tests.Infrastructure;

/// <summary>Polls the BFF's /api/health (bounded by <see cref="AgeparAppFixture.StepTimeout"/>) until an answer satisfies a condition.</summary>
public static class HealthProbe
{
    /// <summary>
    /// Returns the first health body for which <paramref name="done"/> holds; on timeout fails with the last answer and
    /// the logs of <paramref name="logResources"/>.
    /// </summary>
    public static async Task<JsonElement> WaitForAsync(
        AgeparAppFixture fixture, HttpClient client, string expectation, Func<HttpStatusCode, JsonElement, bool> done, params string[] logResources)
    {
        using var cts = new CancellationTokenSource(AgeparAppFixture.StepTimeout);
        var last = "(no answer)";
        while (!cts.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync("/api/health", cts.Token);
                var text = await response.Content.ReadAsStringAsync(cts.Token);
                last = $"{(int)response.StatusCode} {text}";
                using var json = JsonDocument.Parse(text);
                if (done(response.StatusCode, json.RootElement))
                {
                    return json.RootElement.Clone();
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is OperationCanceledException && !cts.IsCancellationRequested))
            {
                last = ex.Message;
            }

            await Task.Delay(500, CancellationToken.None);
        }

        throw new TimeoutException($"/api/health never answered {expectation}; last: {last}\n{fixture.Logs.Dump(logResources)}");
    }
}
