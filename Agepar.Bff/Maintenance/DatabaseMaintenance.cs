using Agepar.Bff.Audits;
using Agepar.Data;
using Agepar.Data.Audits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Agepar.Bff.Maintenance;

/// <summary>
/// One maintenance run, as the application role: (1) <c>maintain_audit_partitions</c> keeps the monthly audit
/// partitions ahead (a SECURITY DEFINER function, so no DDL right is needed; created partitions are audited as
/// <c>system.partitions_created</c>); (2) deletes sessions that expired more than <see cref="MaintenanceOptions.SessionRetention"/>
/// ago; (3) deletes login attempts older than <see cref="MaintenanceOptions.LoginAttemptRetention"/>. A failing step is
/// logged and reported; the others still run. Audit rows are never deleted here (retention of audits drops whole
/// partitions, a step of the schema owner).
/// </summary>
internal sealed partial class DatabaseMaintenance(
    IServiceScopeFactory scopes,
    IOptions<MaintenanceOptions> options,
    MaintenanceMetrics metrics,
    TimeProvider clock,
    ILogger<DatabaseMaintenance> logger)
{
    public async Task<MaintenanceReport> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var started = clock.GetUtcNow();
        var errors = new List<string>();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AgeparDbContext>();
        var audits = scope.ServiceProvider.GetRequiredService<AuditWriter>();

        var partitions = await StepAsync("partitions", errors, () => EnsurePartitionsAsync(db, audits, settings.AuditPartitionsAhead, cancellationToken), []);
        var sessions = await StepAsync("sessions", errors, () => DeleteInBatchesAsync(db,
            "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at < now() - @retention LIMIT @batch FOR UPDATE SKIP LOCKED)",
            settings.SessionRetention, settings.DeleteBatchSize, cancellationToken), 0L);
        var attempts = await StepAsync("login_attempts", errors, () => DeleteInBatchesAsync(db,
            "DELETE FROM login_attempts WHERE id IN (SELECT id FROM login_attempts WHERE at < now() - @retention LIMIT @batch FOR UPDATE SKIP LOCKED)",
            settings.LoginAttemptRetention, settings.DeleteBatchSize, cancellationToken), 0L);

        metrics.PartitionsCreated.Add(partitions.Count);
        metrics.RowsDeleted.Add(sessions, new KeyValuePair<string, object?>("table", "sessions"));
        metrics.RowsDeleted.Add(attempts, new KeyValuePair<string, object?>("table", "login_attempts"));
        metrics.Runs.Add(1, new KeyValuePair<string, object?>("outcome", errors.Count == 0 ? "success" : "partial"));
        LogFinished(partitions.Count, partitions.Count == 0 ? "(all present)" : string.Join(", ", partitions), sessions, attempts, errors.Count);
        return new MaintenanceReport(started, partitions, sessions, attempts, errors);
    }

    private async Task<T> StepAsync<T>(string step, List<string> errors, Func<Task<T>> run, T fallback)
    {
        try
        {
            return await run();
        }
        catch (Exception ex) when (ex is NpgsqlException or DbUpdateException or InvalidOperationException or TimeoutException)
        {
            var reason = ex is PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege }
                ? "permission denied: run the migration service so agepar_user gets EXECUTE on maintain_audit_partitions"
                : ex.Message;
            LogStepFailed(ex, step, reason);
            errors.Add($"{step}: {reason}");
            return fallback;
        }
    }

    private static async Task<IReadOnlyList<string>> EnsurePartitionsAsync(AgeparDbContext db, AuditWriter audits, int monthsAhead, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var created = await db.Database
                .SqlQueryRaw<string>($"SELECT p AS \"Value\" FROM {DatabaseObjects.MaintainAuditPartitionsFunction}({{0}}) AS p", monthsAhead)
                .ToListAsync(token);
            if (created.Count > 0)
            {
                audits.Add(db, AuditActions.SystemPartitionsCreated, AuditOutcome.Success, objectType: "database",
                    metadata: new { items = created, by = "maintenance", host = Environment.MachineName });
                await db.SaveChangesAsync(token);
            }

            await transaction.CommitAsync(token);
            return (IReadOnlyList<string>)created;
        }, ct);
    }

    private static async Task<long> DeleteInBatchesAsync(AgeparDbContext db, string sql, TimeSpan retention, int batchSize, CancellationToken ct)
    {
        long total = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var deleted = await db.Database.ExecuteSqlRawAsync(sql,
                [new NpgsqlParameter("retention", retention), new NpgsqlParameter("batch", batchSize)], ct);
            total += deleted;
            if (deleted < batchSize)
            {
                return total;
            }
        }
    }

    [LoggerMessage(LogLevel.Information,
        "Maintenance finished: {PartitionCount} audit partition(s) created {Partitions}; {SessionsDeleted} session(s) and {LoginAttemptsDeleted} login attempt(s) deleted; {ErrorCount} step(s) failed")]
    private partial void LogFinished(int partitionCount, string partitions, long sessionsDeleted, long loginAttemptsDeleted, int errorCount);

    [LoggerMessage(LogLevel.Warning, "Maintenance step {Step} failed: {Reason}")]
    private partial void LogStepFailed(Exception exception, string step, string reason);
}
