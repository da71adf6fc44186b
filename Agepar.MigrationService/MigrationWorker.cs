using System.Diagnostics;
using Agepar.Data;
using Microsoft.EntityFrameworkCore;

namespace Agepar.MigrationService;

/// <summary>
/// One-shot: applies the pending EF Core migrations, then stops the host. The process exit code is the outcome
/// (0 = database ready), which is what the AppHost's <c>WaitForCompletion</c> reads.
/// </summary>
internal sealed partial class MigrationWorker(
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    ILogger<MigrationWorker> logger) : BackgroundService
{
    internal static readonly ActivitySource ActivitySource = new("Agepar.MigrationService");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = ActivitySource.StartActivity("Migrating database", ActivityKind.Client);
        try
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AgeparDbContext>();
            await MigrateAsync(db, stoppingToken);
            Environment.ExitCode = 0;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            activity?.AddException(ex);
            LogFailed(ex, ex.GetBaseException().Message);
            Environment.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task MigrateAsync(AgeparDbContext db, CancellationToken ct)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count == 0)
        {
            LogUpToDate();
            return;
        }

        LogApplying(pending.Count, string.Join(", ", pending));
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () => await db.Database.MigrateAsync(ct));
        LogApplied(pending.Count);
    }

    [LoggerMessage(LogLevel.Information, "Database schema is up to date; nothing to apply")]
    private partial void LogUpToDate();

    [LoggerMessage(LogLevel.Information, "Applying {MigrationCount} migration(s): {Migrations}")]
    private partial void LogApplying(int migrationCount, string migrations);

    [LoggerMessage(LogLevel.Information, "Applied {MigrationCount} migration(s)")]
    private partial void LogApplied(int migrationCount);

    [LoggerMessage(LogLevel.Critical, "Database migration FAILED: {Reason}")]
    private partial void LogFailed(Exception exception, string reason);
}
