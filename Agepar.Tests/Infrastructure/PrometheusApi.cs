using System.Net;
using System.Text.Json;

namespace Agepar.Tests.Infrastructure;

/// <summary>The running Prometheus's HTTP API as the monitoring tests read it.</summary>
public static class PrometheusApi
{
    /// <summary>
    /// GETs <paramref name="url"/> every second until a 200 answer satisfies <paramref name="done"/> or
    /// <see cref="AgeparAppFixture.StepTimeout"/> passes; returns the last body either way, for the failure message.
    /// </summary>
    public static async Task<(bool Ok, string Last)> PollAsync(HttpClient client, string url, Func<JsonElement, bool> done)
    {
        using var cts = new CancellationTokenSource(AgeparAppFixture.StepTimeout);
        var last = "";
        while (!cts.IsCancellationRequested)
        {
            using var response = await client.GetAsync(url, CancellationToken.None);
            last = await response.Content.ReadAsStringAsync(CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var json = JsonDocument.Parse(last);
                if (done(json.RootElement))
                {
                    return (true, last);
                }
            }

            try
            {
                await Task.Delay(1000, cts.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (false, last);
    }
}
