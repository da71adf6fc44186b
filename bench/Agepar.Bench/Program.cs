using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Agepar.Bench;

// Submit → done latency of the automation queue on a running stack. Prints a Markdown table (bench/README.md).
var options = BenchOptions.Parse(args);
using var client = await BffClient.SignInAsync(options);
Console.WriteLine($"# Submit → done latency ({options.Kind}, {options.Url})\n");

// Warm-up: JIT, connection pools, first-query plans.
for (var i = 0; i < 3; i++)
{
    await RunOneAsync(client, options.Kind, i);
}

var submit = new List<double>();
var endToEnd = new List<double>();
var queueWait = new List<double>();
var processing = new List<double>();
var serverTotal = new List<double>();
for (var i = 0; i < options.Count; i++)
{
    var run = await RunOneAsync(client, options.Kind, 1000 + i);
    submit.Add(run.SubmitMs);
    endToEnd.Add(run.EndToEndMs);
    queueWait.Add(run.QueueWaitMs);
    processing.Add(run.ProcessingMs);
    serverTotal.Add(run.QueueWaitMs + run.ProcessingMs);
}

Console.WriteLine($"## Sequential: {options.Count} submissions, one at a time\n");
Console.WriteLine(Stats.Header());
Console.WriteLine(Stats.Row("POST submit → 202 (client)", submit));
Console.WriteLine(Stats.Row("submit → done observed (client, 5 ms polls)", endToEnd));
Console.WriteLine(Stats.Row("created_at → started_at (queue wait, server)", queueWait));
Console.WriteLine(Stats.Row("started_at → finished_at (processing, server)", processing));
Console.WriteLine(Stats.Row("created_at → finished_at (server)", serverTotal));

// Burst: many submits at once, then wait for all; throughput is bounded by Automations:Queue:Concurrency.
var clock = Stopwatch.StartNew();
var ids = await Task.WhenAll(Enumerable.Range(0, options.Burst).Select(i => SubmitAsync(client, options.Kind, 5000 + i)));
var submitted = clock.Elapsed;
// Waited for through the list endpoint every 250 ms: a hundred polling loops would compete with the worker for the CPU.
var finished = await WaitAllDoneAsync(client, options.Kind, [.. ids.Select(i => i.Id)]);
var firstCreated = finished.Min(f => f.CreatedAt);
var lastFinished = finished.Max(f => f.FinishedAt);
var makespan = lastFinished - firstCreated;
Console.WriteLine($"\n## Burst: {options.Burst} concurrent submissions\n");
Console.WriteLine(Stats.Header());
Console.WriteLine(Stats.Row("created_at → finished_at (server)", finished.Select(f => f.QueueWaitMs + f.ProcessingMs).ToList()));
Console.WriteLine(Stats.Row("created_at → started_at (queue wait, server)", finished.Select(f => f.QueueWaitMs).ToList()));
Console.WriteLine($"\nAll {options.Burst} accepted in {submitted.TotalMilliseconds:0} ms (client); first created_at → last finished_at " +
                  $"{makespan.TotalMilliseconds:0} ms on the server: {options.Burst / makespan.TotalSeconds:0.0} submissions/s.");

static async Task<Run> RunOneAsync(BffClient client, string kind, int n)
{
    var (id, started, submitMs) = await SubmitAsync(client, kind, n);
    return await WaitDoneAsync(client, kind, id, started) with { SubmitMs = submitMs };
}

static async Task<(Guid Id, long Started, double SubmitMs)> SubmitAsync(BffClient client, string kind, int n)
{
    var started = Stopwatch.GetTimestamp();
    using var response = await client.SendAsync(HttpMethod.Post, $"/api/automations/{kind}/submit", Body(kind, n));
    var submitMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    var text = await response.Content.ReadAsStringAsync();
    if (response.StatusCode != HttpStatusCode.Accepted)
    {
        throw new InvalidOperationException($"submit: {(int)response.StatusCode} {text}");
    }

    using var json = JsonDocument.Parse(text);
    return (json.RootElement.GetProperty("submissionId").GetGuid(), started, submitMs);
}

static async Task<Run> WaitDoneAsync(BffClient client, string kind, Guid id, long started, int pollMs = 5)
{
    var deadline = Stopwatch.StartNew();
    while (deadline.Elapsed < TimeSpan.FromMinutes(5))
    {
        var details = await client.GetJsonAsync($"/api/automations/{kind}/submissions/{id}");
        var status = details.GetProperty("status").GetString();
        if (status is "done" or "error")
        {
            var endToEnd = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (status == "error")
            {
                throw new InvalidOperationException($"{id} ended in error: {details.GetProperty("error")}");
            }

            var created = details.GetProperty("createdAt").GetDateTimeOffset();
            var start = details.GetProperty("startedAt").GetDateTimeOffset();
            var finish = details.GetProperty("finishedAt").GetDateTimeOffset();
            return new Run(0, endToEnd, (start - created).TotalMilliseconds, (finish - start).TotalMilliseconds, created, finish);
        }

        await Task.Delay(pollMs);
    }

    throw new TimeoutException($"{id} not done after 5 minutes");
}

static async Task<List<Run>> WaitAllDoneAsync(BffClient client, string kind, HashSet<Guid> ids)
{
    var deadline = Stopwatch.StartNew();
    while (deadline.Elapsed < TimeSpan.FromMinutes(5))
    {
        // The burst is the newest submissions of this user: page newest-first until every id has been seen.
        var runs = new List<Run>();
        var seen = 0;
        string? cursor = null;
        do
        {
            var page = await client.GetJsonAsync($"/api/automations/{kind}/submissions?limit=100" + (cursor is null ? "" : "&cursor=" + cursor));
            foreach (var item in page.GetProperty("items").EnumerateArray().Where(i => ids.Contains(i.GetProperty("id").GetGuid())))
            {
                seen++;
                if (item.GetProperty("status").GetString() is "done" or "error")
                {
                    var created = item.GetProperty("createdAt").GetDateTimeOffset();
                    var start = item.GetProperty("startedAt").GetDateTimeOffset();
                    var finish = item.GetProperty("finishedAt").GetDateTimeOffset();
                    runs.Add(new Run(0, 0, (start - created).TotalMilliseconds, (finish - start).TotalMilliseconds, created, finish));
                }
            }

            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && seen < ids.Count);

        if (runs.Count == ids.Count)
        {
            return runs;
        }

        await Task.Delay(250);
    }

    throw new TimeoutException("The burst did not finish within 5 minutes.");
}

static object Body(string kind, int n) => kind switch
{
    "dfd" => new
    {
        ano = 2026,
        diretoria = "DAF",
        protocolo = $"BENCH-{Guid.NewGuid():N}"[..30],
        assunto = $"Benchmark {n}",
        justificativa = "Medição de latência.",
        itens = new[] { new { descricao = "Item", quantidade = "1", valorUnitario = "1.234,56" } },
    },
    _ => new
    {
        nome = $"Benchmark {n}",
        email = "bench@agepar.test",
        prioridade = "media",
        data = "05/03/2026",
        aceitaTermos = true,
        itens = new[] { new { descricao = "Item", quantidade = 1 } },
    },
};
