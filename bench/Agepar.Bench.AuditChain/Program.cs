using System.Diagnostics;
using System.Globalization;
using Agepar.Bff.Audits.Chain;
using Agepar.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

// Audit insert rate without and with the chain sealer running, then sealing and verification throughput.
// BENCH_DB must point at a THROWAWAY database as its owner or a superuser: the program migrates it and adds audits
// that can never be deleted. Prints Markdown (bench/README.md, section 5).
var connectionString = Environment.GetEnvironmentVariable("BENCH_DB") ?? throw new InvalidOperationException("Set BENCH_DB (a throwaway database).");
var rows = int.Parse(Environment.GetEnvironmentVariable("BENCH_ROWS") ?? "20000", CultureInfo.InvariantCulture);
var writers = int.Parse(Environment.GetEnvironmentVariable("BENCH_WRITERS") ?? "8", CultureInfo.InvariantCulture);
var backlog = int.Parse(Environment.GetEnvironmentVariable("BENCH_BACKLOG") ?? "200000", CultureInfo.InvariantCulture);
var rounds = int.Parse(Environment.GetEnvironmentVariable("BENCH_ROUNDS") ?? "3", CultureInfo.InvariantCulture);

var services = new ServiceCollection();
services.AddDbContext<AgeparDbContext>(o => o.UseAgeparNpgsql(connectionString));
services.AddMetrics();
// EF logs the missing history table of a fresh database as a failure; it is not one.
services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None).AddSimpleConsole());
services.AddSingleton(TimeProvider.System);
services.AddSingleton(Options.Create(new AuditChainOptions { SealInterval = TimeSpan.FromSeconds(1), MaxSealLag = TimeSpan.FromMinutes(15) }));
services.AddSingleton<AuditChainStatus>();
services.AddSingleton<AuditChainMetrics>();
services.AddSingleton<AuditSealer>();
services.AddSingleton<AuditChainVerifier>();
await using var provider = services.BuildServiceProvider();
await using (var scope = provider.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<AgeparDbContext>().Database.MigrateAsync();
}

var sealer = provider.GetRequiredService<AuditSealer>();
var verifier = provider.GetRequiredService<AuditChainVerifier>();
await sealer.SealPendingAsync(CancellationToken.None); // start from a sealed chain

Console.WriteLine($"# Audit chain ({rows} audit inserts by {writers} writers, one row per transaction, like the BFF)\n");
Console.WriteLine("| run | inserts/s | sealed while inserting | sealer caught up after |");
Console.WriteLine("|---|---:|---:|---:|");
// Rounds alternate, so a noisy neighbour on the machine hurts both columns alike.
var without = new List<double>();
var with = new List<double>();
for (var round = 1; round <= rounds; round++)
{
    var plain = await InsertAsync(connectionString, rows, writers, $"plain{round}");
    await sealer.SealPendingAsync(CancellationToken.None);
    without.Add(plain);
    Console.WriteLine($"| {round}: without sealing | {plain:0} | - | - |");

    using var stop = new CancellationTokenSource();
    long sealedDuring = 0;
    var loop = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
        {
            sealedDuring += await sealer.SealPendingAsync(CancellationToken.None);
        }
    });
    var sealing = await InsertAsync(connectionString, rows, writers, $"sealed{round}");
    var catchUp = Stopwatch.StartNew();
    await stop.CancelAsync();
    try
    {
        await loop;
    }
    catch (OperationCanceledException)
    {
        // Stopped.
    }

    var rest = await sealer.SealPendingAsync(CancellationToken.None);
    with.Add(sealing);
    Console.WriteLine($"| {round}: with the sealer every 1 s | {sealing:0} | {sealedDuring} | {rest} rows, {catchUp.Elapsed.TotalMilliseconds:0} ms |");
}

Console.WriteLine($"| **median without sealing** | **{Median(without):0}** | | |");
Console.WriteLine($"| **median with sealing** | **{Median(with):0}** | | |");

// Backlog: what one sealer can do flat out (e.g. the first run on a database with history).
await using (var connection = new NpgsqlConnection(connectionString))
{
    await connection.OpenAsync();
    await using var seed = new NpgsqlCommand("""
        INSERT INTO audits (action, outcome, kind, actor_name, actor_email, object_type, object_id, ip, user_agent, trace_id, metadata)
        SELECT 'submission.completed', 'success', 'form2json', 'Maria da Silva', 'maria@agepar.test', 'submission', gen_random_uuid()::text,
               '10.0.0.1', 'Mozilla/5.0 bench', md5(n::text), jsonb_build_object('n', n, 'attempt', 1)
          FROM generate_series(1, @n) AS n
        """, connection) { CommandTimeout = 600 };
    seed.Parameters.AddWithValue("n", backlog);
    await seed.ExecuteNonQueryAsync();
}

var sealWatch = Stopwatch.StartNew();
var sealedBacklog = await sealer.SealPendingAsync(CancellationToken.None);
sealWatch.Stop();
var verifyWatch = Stopwatch.StartNew();
var verification = await verifier.VerifyAsync(null, null, CancellationToken.None);
verifyWatch.Stop();
Console.WriteLine($"\n| step | rows | seconds | rows/s |\n|---|---:|---:|---:|");
Console.WriteLine($"| seal a backlog (batches of 5000) | {sealedBacklog} | {sealWatch.Elapsed.TotalSeconds:0.0} | {sealedBacklog / sealWatch.Elapsed.TotalSeconds:0} |");
Console.WriteLine($"| verify the whole chain (intact: {verification.Intact}) | {verification.Checked} | {verifyWatch.Elapsed.TotalSeconds:0.0} | {verification.Checked / verifyWatch.Elapsed.TotalSeconds:0} |");

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static async Task<double> InsertAsync(string connectionString, int rows, int writers, string tag)
{
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        for (var i = w; i < rows; i += writers)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO audits (action, outcome, kind, actor_name, actor_email, object_type, object_id, ip, user_agent, trace_id, metadata)
                VALUES ('submission.created', 'success', 'form2json', 'Maria da Silva', 'maria@agepar.test', 'submission', @o, '10.0.0.1', 'Mozilla/5.0 bench', @t, @m::jsonb)
                """, connection);
            insert.Parameters.AddWithValue("o", $"{tag}-{i}");
            insert.Parameters.AddWithValue("t", Guid.NewGuid().ToString("N"));
            insert.Parameters.AddWithValue("m", $$"""{"i": {{i}}, "writer": {{w}}}""");
            await insert.ExecuteNonQueryAsync();
        }
    }));
    return rows / watch.Elapsed.TotalSeconds;
}
