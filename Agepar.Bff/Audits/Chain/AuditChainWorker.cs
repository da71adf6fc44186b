using Microsoft.Extensions.Options;

namespace Agepar.Bff.Audits.Chain;

/// <summary>
/// The background side of the chain in every replica: seals pending rows every <see cref="AuditChainOptions.SealInterval"/>
/// (one replica at a time, see <see cref="AuditSealer"/>), writes a checkpoint (the chain head) to the log and the
/// metrics every <see cref="AuditChainOptions.CheckpointInterval"/>, and verifies the whole chain at start and every
/// <see cref="AuditChainOptions.VerifyInterval"/>, which feeds <c>agepar.audit.chain.intact</c> and <c>/api/health</c>.
/// </summary>
internal sealed partial class AuditChainWorker(
    AuditSealer sealer,
    AuditChainVerifier verifier,
    AuditChainStatus status,
    IOptions<AuditChainOptions> options,
    TimeProvider clock,
    ILogger<AuditChainWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        LogScheduled(settings.SealInterval, settings.CheckpointInterval, settings.VerifyInterval);
        var nextCheckpoint = DateTimeOffset.MinValue;
        var nextVerification = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(settings.SealInterval, clock);
        try
        {
            do
            {
                await StepAsync("seal", () => sealer.SealPendingAsync(stoppingToken));
                if (clock.GetUtcNow() >= nextCheckpoint)
                {
                    await StepAsync("checkpoint", async () =>
                    {
                        var head = await sealer.ReadHeadAsync(clock, stoppingToken);
                        status.Record(head);
                        LogCheckpoint(head.Seq, head.Head, head.SealedAt, head.TakenAt);
                        return 0L;
                    });
                    nextCheckpoint = clock.GetUtcNow() + settings.CheckpointInterval;
                }

                if (clock.GetUtcNow() >= nextVerification)
                {
                    await StepAsync("verify", async () => (await verifier.VerifyAsync(null, null, stoppingToken)).Checked);
                    nextVerification = clock.GetUtcNow() + settings.VerifyInterval;
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task StepAsync(string step, Func<Task<long>> run)
    {
        try
        {
            await run();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database is away (or the schema is behind): try again at the next tick.
            LogStepFailed(step, ex.GetBaseException().Message);
        }
    }

    [LoggerMessage(LogLevel.Information, "Audit chain: sealing every {SealInterval}, checkpoint every {CheckpointInterval}, full verification every {VerifyInterval}")]
    private partial void LogScheduled(TimeSpan sealInterval, TimeSpan checkpointInterval, TimeSpan verifyInterval);

    [LoggerMessage(LogLevel.Information, "Audit chain checkpoint: seal {Seq}, head {Head}, sealed at {SealedAt}, taken at {TakenAt}")]
    private partial void LogCheckpoint(long seq, string head, DateTimeOffset? sealedAt, DateTimeOffset takenAt);

    [LoggerMessage(LogLevel.Warning, "Audit chain {Step} failed, retrying at the next tick: {Reason}")]
    private partial void LogStepFailed(string step, string reason);
}
