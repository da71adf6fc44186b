using System.Diagnostics;
using System.Text.Json;
using Agepar.Data;
using Agepar.Data.Audits;
using Agepar.Data.Connection;
using Agepar.Data.Protection;
using Agepar.MigrationService.Protection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Agepar.MigrationService;

/// <summary>
/// One-shot: (1) provision roles when a privileged connection is configured, (2) apply pending migrations as
/// agepar_admin acting as the NOLOGIN owner agepar_owner where provisioned (<see cref="OwnerRoleSession"/>) inside the EF
/// execution strategy — or, under change management, only up to the approved target —
/// (3) ensure the audit partitions ahead. Then it stops the host; the exit code (<see cref="ExitCodes"/>) is the outcome.
/// </summary>
internal sealed partial class MigrationWorker(
    IServiceProvider services,
    IConfiguration configuration,
    IHostEnvironment environment,
    IOptions<MigrationOptions> migrationOptions,
    IOptions<ProvisioningOptions> provisioningOptions,
    RoleProvisioner provisioner,
    IHostApplicationLifetime lifetime,
    ILogger<MigrationWorker> logger) : BackgroundService
{
    internal static readonly ActivitySource ActivitySource = new("Agepar.MigrationService");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = ActivitySource.StartActivity("Migrating database", ActivityKind.Client);
        try
        {
            Environment.ExitCode = await RunAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            activity?.AddException(ex);
            LogFailed(ex, ex.GetBaseException().Message);
            Environment.ExitCode = ExitCodes.Failed;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task<int> RunAsync(CancellationToken ct)
    {
        var options = migrationOptions.Value;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AgeparDbContext>();

        if (options.Mode == MigrationMode.Plan)
        {
            await WritePlanAsync(db, options, ct);
            return ExitCodes.Success;
        }

        // The CPF keys are checked before anything changes: a missing key stops the run here.
        var protector = PersonalDataOptions.CreateProtector(configuration);
        await ProvisionAsync(ct);

        var pending = await PendingMigrationsAsync(db, ct);
        var applied = new List<string>();
        if (pending.Count == 0)
        {
            LogUpToDate();
        }
        else
        {
            var target = pending[^1];
            if (options.RequireApproval ?? environment.IsProduction())
            {
                if (options.ApprovedTarget is null || !pending.Contains(options.ApprovedTarget))
                {
                    LogApprovalRequired(pending.Count, string.Join(", ", pending), options.ApprovedTarget ?? "(none)", target);
                    return ExitCodes.ApprovalRequired;
                }

                target = options.ApprovedTarget;
            }

            applied = pending.Take(pending.IndexOf(target) + 1).ToList();
            LogApplying(applied.Count, string.Join(", ", applied));
            var migrator = db.GetService<IMigrator>();
            var strategy = db.Database.CreateExecutionStrategy();
            // EF reads the history table before it creates it; creating it first (idempotent, as EF itself would)
            // spares a clean database the failed query EF logs as an error.
            await strategy.ExecuteAsync(async () => await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(ct));
            // Clear CPFs are encrypted (with the key, which SQL never sees) between EncryptedCpf and DropClearCpf.
            if (applied.IndexOf(DropClearCpfMigration) is > 0 and var drop)
            {
                await strategy.ExecuteAsync(async () => await migrator.MigrateAsync(applied[drop - 1], ct));
            }

            if (applied.Contains(DropClearCpfMigration))
            {
                await ProtectCpfsAsync(protector, ct);
            }

            await strategy.ExecuteAsync(async () => await migrator.MigrateAsync(target, ct));
            LogApplied(applied.Count, target);
        }

        await CheckDataKeyAsync(protector, ct);

        var partitions = await db.Database
            .SqlQueryRaw<string>($"SELECT {DatabaseObjects.EnsureAuditPartitionsFunction}({{0}}) AS \"Value\"", options.AuditPartitionsAhead)
            .ToListAsync(ct);
        LogPartitions(partitions.Count, partitions.Count == 0 ? "(all present)" : string.Join(", ", partitions));

        await AuditAsync(db, applied, partitions, ct);
        return ExitCodes.Success;
    }

    private const string DropClearCpfMigration = "20261206190100_DropClearCpf";

    /// <summary>The data-key state (written on first use), then the backfill of clear CPFs and the chain re-seal.</summary>
    private async Task ProtectCpfsAsync(CpfProtector protector, CancellationToken ct)
    {
        await using var dataSource = OwnerRoleSession.CreateDataSource(AdminConnectionString());
        if (!await CpfBackfill.IsNeededAsync(dataSource, ct))
        {
            return;
        }

        await CheckDataKeyAsync(protector, ct);
        await new CpfBackfill(dataSource, protector, logger).RunAsync(ct);
    }

    /// <summary>
    /// A wrong or missing CPF key fails the run (non-zero exit) with the reason; a new database gets the state of the
    /// configured key. Skipped while the schema is older than EncryptedCpf (change management).
    /// </summary>
    private async Task CheckDataKeyAsync(CpfProtector protector, CancellationToken ct)
    {
        await using var dataSource = OwnerRoleSession.CreateDataSource(AdminConnectionString());
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('public.data_key_state') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                return;
            }
        }

        if (await DataKeyState.CheckAsync(connection, protector, ct) == DataKeyState.Outcome.Missing)
        {
            await DataKeyState.WriteAsync(connection, null, protector, ct);
            LogDataKeyRecorded(CpfProtector.FormatKeyId(protector.CurrentKeyId));
        }
        else
        {
            LogDataKeyChecked(CpfProtector.FormatKeyId(protector.CurrentKeyId));
        }
    }

    private string AdminConnectionString() => AgeparConnectionString.Build(
        configuration, ConnectionNames.Admin, services.GetRequiredService<IOptions<DatabaseOptions>>().Value, environment.IsProduction());

    private async Task ProvisionAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionNames.Provisioning)))
        {
            LogProvisioningSkipped(ConnectionNames.Provisioning);
            return;
        }

        var connectionString = AgeparConnectionString.Build(
            configuration, ConnectionNames.Provisioning, services.GetRequiredService<IOptions<DatabaseOptions>>().Value, environment.IsProduction());
        await provisioner.ProvisionAsync(connectionString, provisioningOptions.Value, ct);
    }

    /// <summary>
    /// The migrations not yet applied. On a database without a history table every migration is pending: asked
    /// through the catalog first, because EF's own query of a missing history table fails and logs that failure as an
    /// error (a red "Failed executing DbCommand" on a clean first run) although nothing is wrong.
    /// </summary>
    private static async Task<List<string>> PendingMigrationsAsync(AgeparDbContext db, CancellationToken ct) =>
        await db.Database.SqlQueryRaw<bool>(
                $"SELECT to_regclass('public.{DatabaseObjects.MigrationsHistoryTable}') IS NOT NULL AS \"Value\"").SingleAsync(ct)
            ? [.. await db.Database.GetPendingMigrationsAsync(ct)]
            : [.. db.Database.GetMigrations()];

    private async Task WritePlanAsync(AgeparDbContext db, MigrationOptions options, CancellationToken ct)
    {
        var pending = await PendingMigrationsAsync(db, ct);
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        var folder = Path.GetFullPath(options.PlanOutputPath);
        Directory.CreateDirectory(folder);
        await File.WriteAllLinesAsync(Path.Combine(folder, "pending-migrations.txt"), pending, ct);
        await File.WriteAllTextAsync(Path.Combine(folder, "migrate.sql"), script, ct);
        LogPlanned(pending.Count, pending.Count == 0 ? "(none)" : string.Join(", ", pending), folder);
    }

    /// <summary>Records what changed (nothing recorded when nothing changed, so a re-run leaves no trace).</summary>
    private static async Task AuditAsync(AgeparDbContext db, List<string> applied, List<string> partitions, CancellationToken ct)
    {
        foreach (var (action, items) in new[] { (AuditActions.SystemMigrated, applied), (AuditActions.SystemPartitionsCreated, partitions) })
        {
            if (items.Count == 0)
            {
                continue;
            }

            var metadata = JsonSerializer.Serialize(new { items, by = Environment.MachineName });
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO audits (action, outcome, object_type, trace_id, metadata) VALUES ({action}, 'success', 'database', {Activity.Current?.TraceId.ToString()}, {metadata}::jsonb)",
                ct);
        }
    }

    [LoggerMessage(LogLevel.Information, "CPF data key {KeyId} recorded in data_key_state (new database)")]
    private partial void LogDataKeyRecorded(string keyId);

    [LoggerMessage(LogLevel.Information, "CPF keys match the database (data key {KeyId})")]
    private partial void LogDataKeyChecked(string keyId);

    [LoggerMessage(LogLevel.Information, "Database schema is up to date; no migration to apply")]
    private partial void LogUpToDate();

    [LoggerMessage(LogLevel.Information, "Applying {MigrationCount} migration(s): {Migrations}")]
    private partial void LogApplying(int migrationCount, string migrations);

    [LoggerMessage(LogLevel.Information, "Applied {MigrationCount} migration(s); database now at {Target}")]
    private partial void LogApplied(int migrationCount, string target);

    [LoggerMessage(LogLevel.Error,
        "Change management: {PendingCount} pending migration(s) ({Pending}) but Migrations:ApprovedTarget is {Approved}. " +
        "Nothing was changed. To apply, set Migrations__ApprovedTarget={Target} (or an earlier pending migration) and run again")]
    private partial void LogApprovalRequired(int pendingCount, string pending, string approved, string target);

    [LoggerMessage(LogLevel.Information, "Audit partitions ensured; created {PartitionCount}: {Partitions}")]
    private partial void LogPartitions(int partitionCount, string partitions);

    [LoggerMessage(LogLevel.Information, "Plan mode: {PendingCount} pending migration(s): {Pending}. Wrote pending-migrations.txt and migrate.sql to {Folder}; nothing was changed")]
    private partial void LogPlanned(int pendingCount, string pending, string folder);

    [LoggerMessage(LogLevel.Information, "No ConnectionStrings:{ConnectionName}: role provisioning skipped (roles are managed by the DBA)")]
    private partial void LogProvisioningSkipped(string connectionName);

    [LoggerMessage(LogLevel.Critical, "Database migration FAILED: {Reason}")]
    private partial void LogFailed(Exception exception, string reason);
}
