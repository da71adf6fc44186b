using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Agepar.Tests.Infrastructure;

/// <summary>
/// Starts the real AppHost (postgres, its streaming replica, redis, migrations, backup, bff, postgres-exporter,
/// prometheus) once per test run, with pgAdmin off, throwaway
/// volumes and random host ports, so a developer's running instance does not collide. Every wait is bounded; a timeout fails
/// with the resources' own logs in the message.
/// </summary>
public sealed class AgeparAppFixture : IAsyncLifetime
{
    /// <summary>Upper bound for the whole start (engine and images must already be there: eng/test.sh sees to it).</summary>
    public static readonly TimeSpan StartTimeout =
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("AGEPAR_TEST_START_TIMEOUT_SECONDS"), out var s) ? s : 300);

    /// <summary>Upper bound for a single wait inside a test.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(120);

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost is not started.");

    public ResourceLogCollector Logs { get; } = new();

    /// <summary>The secret parameters the test run generated (what the AppHost received).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    public AgeparAppFixture()
    {
        Parameters = new Dictionary<string, string>
        {
            ["postgres-password"] = NewSecret(),
            ["agepar-admin-password"] = NewSecret(),
            ["agepar-user-password"] = NewSecret(),
            ["agepar-monitor-password"] = NewSecret(),
            ["agepar-backup-password"] = NewSecret(),
            ["backup-encryption-key"] = NewSecret(),
            // Azurite's account key: base64 (44 characters of hex digits decode as base64).
            ["backup-storage-key"] = NewSecret() + NewSecret()[..12],
            ["prometheus-token"] = PrometheusToken,
            ["exporter-sslmode"] = "disable",
            ["db-sslmode"] = "Disable",
            ["bootstrap-admin-email"] = "admin@agepar.test",
            ["bootstrap-admin-password"] = "Adm1n-" + NewSecret(),
            ["data-encryption-key"] = TestDataKeys.EncryptionKey,
            ["data-index-key"] = TestDataKeys.IndexKey,
        };
    }

    /// <summary>A throwaway data volume: the postgres container can be stopped and started without losing data.</summary>
    public string DataVolume { get; } = "agepar-test-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// True when eng/ensure-images.sh provided the pgBouncer image (<c>PgBouncer__Image</c>): the BFF then reaches
    /// postgres through pgBouncer in transaction pooling mode for the whole run.
    /// </summary>
    public bool PgBouncerEnabled { get; } = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("PgBouncer__Image"));

    /// <summary>Bearer token of the BFF's /metrics endpoint in this run (the AppHost's prometheus-token parameter).</summary>
    public string PrometheusToken { get; } = NewSecret();

    /// <summary>A throwaway volume for the backup job's files.</summary>
    public string BackupVolume { get; } = "agepar-test-backups-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A throwaway volume for Azurite's blobs (the off-site backups).</summary>
    public string BackupStorageVolume { get; } = "agepar-test-blobs-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// True when eng/ensure-images.sh provided the backup image (gnupg) and the Azurite image: every backup is then
    /// encrypted and uploaded to the run's Azurite (<c>azurite</c>).
    /// </summary>
    public bool BackupStorageEnabled { get; } =
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("Backup__Image"))
        && Environment.GetEnvironmentVariable("Backup__Storage__Enabled") is not "false";

    /// <summary>Exit code of the one-shot migration service, once it finished.</summary>
    public int? MigrationsExitCode { get; private set; }

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        var args = new List<string>
        {
            "PgAdmin:Enabled=false",
            $"Postgres:DataVolume={DataVolume}",
            $"Backup:Volume={BackupVolume}",
            $"Backup:Storage:Volume={BackupStorageVolume}",
            "Postgres:HostPort=0",
            "Bff:HostPort=0",
            // The control panel reads from a real hot standby kept by streaming replication, so every panel test also
            // proves the panel works on a replica and never writes where it reads (synchronous, see below).
            "Bff:ReadReplica=Streaming",
            // Test-only automations (one that always fails, for the retry tests) exist only when asked for.
            "Bff:Environment:Automations__EnableTestAutomations=true",
            // The periodic maintenance runs once as the BFF starts, then not again within a test run (hourly), so the
            // maintenance tests see only their own POST /api/admin/maintenance/run.
            "Bff:Environment:Maintenance__StartupDelay=00:00:00",
            // Prometheus scrapes the exporter and the BFF every 2 s, so the monitoring tests see targets up quickly.
            "Monitoring:Prometheus:HostPort=0",
            "Monitoring:Prometheus:ScrapeInterval=2s",
            // Every test reaches the AppHost's BFF from one address (through the AppHost's proxy): the per-IP anonymous
            // budget would let one test's burst refuse the next test's sign-in. The budgets themselves are tested on
            // BFF replicas of their own, each client on a loopback address of its own (AbuseTests).
            "Bff:Environment:RateLimiting__AnonymousPermitLimit=1000000",
            // Control panel and CSV tests insert fixture audits dated up to 3 days back, which the audit chain would
            // rightly report as back-dated under the 15-minute default; the chain tests back-date by decades.
            "Bff:Environment:AuditChain__MaxSealLag=7.00:00:00",
            "Bff:Environment:AuditChain__SealInterval=00:00:01",
            "Bff:Environment:AuditChain__LateCommitCheckInterval=00:00:03",
        };
        if (PgBouncerEnabled)
        {
            // The BFF's application connection goes through pgBouncer in transaction mode for the whole run.
            args.Add("PgBouncer:Enabled=true");
        }

        args.AddRange(Parameters.Select(p => $"Parameters:{p.Key}={p.Value}"));

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Agepar_AppHost>(
            [.. args],
            (options, _) => options.DisableDashboard = true,
            cts.Token);
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            // The AppHost polls postgres until it answers; those expected failures are not news.
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("System.Net.Http", LogLevel.Warning)
            // Resource console logs are kept by ResourceLogCollector and printed only when a wait fails.
            .AddFilter("Agepar.AppHost.Resources", LogLevel.None));

        _app = await builder.BuildAsync(cts.Token);
        Logs.Attach(_app);
        try
        {
            await _app.StartAsync(cts.Token);
            var finished = await _app.ResourceNotifications.WaitForResourceAsync(
                "migrations", e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), cts.Token);
            MigrationsExitCode = finished.Snapshot.ExitCode;
            if (MigrationsExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"The migration service ended '{finished.Snapshot.State?.Text}' with exit code {MigrationsExitCode}.\n{Logs.Dump()}");
            }

            await _app.ResourceNotifications.WaitForResourceHealthyAsync("bff", cts.Token);
            await SetSynchronousReplicationAsync(on: true, cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"The AppHost did not become ready within {StartTimeout}.\n{Logs.Dump()}");
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _app.StopAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                // Disposal below still tears the containers down.
            }

            await _app.DisposeAsync();
            await ContainerEngine.RemoveVolumeAsync(DataVolume);
            await ContainerEngine.RemoveVolumeAsync(BackupVolume);
            await ContainerEngine.RemoveVolumeAsync(BackupStorageVolume);
        }
    }

    /// <summary>The engine's id of a running container resource (e.g. "backup", "pgbouncer"), for <c>docker exec/inspect</c>.</summary>
    public async Task<string> ContainerIdAsync(string resource)
    {
        using var cts = new CancellationTokenSource(StepTimeout);
        var running = await App.ResourceNotifications.WaitForResourceAsync(
            resource, e => e.Snapshot.State?.Text == KnownResourceStates.Running, cts.Token);
        return running.Snapshot.Properties.FirstOrDefault(p => p.Name == "container.id")?.Value?.ToString()
            ?? throw new InvalidOperationException($"the {resource} resource has no container.id");
    }

    /// <summary>
    /// A connection string to the streaming replica (<c>postgres-replica</c>) as <paramref name="role"/>: the roles and
    /// passwords are the primary's, replicated with everything else.
    /// </summary>
    public async Task<string> GetReplicaConnectionStringAsync(DbRole role)
    {
        var endpoint = App.GetEndpoint("postgres-replica", "tcp");
        return new Npgsql.NpgsqlConnectionStringBuilder(await GetConnectionStringAsync(role)) { Host = endpoint.Host, Port = endpoint.Port }
            .ConnectionString;
    }

    /// <summary>
    /// For a test that stops or kills the primary: commits stop waiting for the standby (which must reconnect after
    /// the primary's return, and would hold every commit until it has) and wait again once the test is over and the
    /// standby streams again. <c>await using var _ = await fixture.AsynchronousReplicationAsync();</c>
    /// </summary>
    public async Task<IAsyncDisposable> AsynchronousReplicationAsync()
    {
        await SetSynchronousReplicationAsync(on: false, CancellationToken.None);
        return new Restore(this);
    }

    /// <summary>
    /// On: once the replica streams, commits on the primary wait until the replica has applied them
    /// (<c>synchronous_commit = remote_apply</c>), so a test that writes and then reads through the panel sees its rows,
    /// as with the simulated replica, instead of racing the replication delay. Production replicas stay asynchronous.
    /// </summary>
    private async Task SetSynchronousReplicationAsync(bool on, CancellationToken ct)
    {
        await using var connection = new Npgsql.NpgsqlConnection(await GetSuperuserConnectionStringAsync());
        await connection.OpenAsync(ct);
        while (on)
        {
            await using var streaming = new Npgsql.NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'", connection);
            if ((long)(await streaming.ExecuteScalarAsync(ct))! > 0)
            {
                break;
            }

            await Task.Delay(500, ct);
        }

        var statements = on
            ? new[] { "ALTER SYSTEM SET synchronous_standby_names = '*'", "ALTER SYSTEM SET synchronous_commit = 'remote_apply'" }
            : ["ALTER SYSTEM RESET synchronous_standby_names", "ALTER SYSTEM RESET synchronous_commit"];
        foreach (var sql in statements.Append("SELECT pg_reload_conf()"))
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private sealed class Restore(AgeparAppFixture fixture) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            using var cts = new CancellationTokenSource(StepTimeout);
            await fixture.SetSynchronousReplicationAsync(on: true, cts.Token);
        }
    }

    /// <summary>An HTTP client for the BFF's http endpoint.</summary>
    public HttpClient CreateBffClient() => App.CreateHttpClient("bff", "http");

    /// <summary>The superuser connection string to the <c>agepar</c> database, as the AppHost publishes it.</summary>
    public async Task<string> GetSuperuserConnectionStringAsync() =>
        await App.GetConnectionStringAsync("agepar") ?? throw new InvalidOperationException("agepar has no connection string");

    /// <summary>A connection string to <paramref name="database"/> as the given login role (agepar_user, agepar_admin, agepar_admin acting as agepar_owner, agepar_backup or the superuser).</summary>
    public async Task<string> GetConnectionStringAsync(DbRole role, string database = "agepar")
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(await GetSuperuserConnectionStringAsync())
        {
            Database = database,
            Pooling = false,
        };
        (builder.Username, builder.Password) = role switch
        {
            DbRole.App => ("agepar_user", Parameters["agepar-user-password"]),
            DbRole.Admin or DbRole.Owner => ("agepar_admin", Parameters["agepar-admin-password"]),
            DbRole.Monitor => ("agepar_monitor", Parameters["agepar-monitor-password"]),
            DbRole.Backup => ("agepar_backup", Parameters["agepar-backup-password"]),
            _ => (builder.Username, builder.Password),
        };
        if (role == DbRole.Owner)
        {
            // SET ROLE as the session's default, so it survives Npgsql's reset and every statement runs as the owner.
            builder.Options = "-c role=agepar_owner";
        }

        return builder.ConnectionString;
    }

    private static string NewSecret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
