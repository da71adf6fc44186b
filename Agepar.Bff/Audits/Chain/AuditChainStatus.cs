namespace Agepar.Bff.Audits.Chain;

/// <summary>The last full verification and the last checkpoint of this process (read by the health check and the gauges).</summary>
internal sealed class AuditChainStatus
{
    private volatile StatusSnapshot? _verification;
    private volatile ChainCheckpoint? _checkpoint;

    /// <summary>Null until the first full verification.</summary>
    public bool? Intact => _verification?.Result.Intact;

    public StatusSnapshot? LastVerification => _verification;

    public ChainCheckpoint? Checkpoint => _checkpoint;

    public void Record(AuditChainVerification result, DateTimeOffset at) => _verification = new StatusSnapshot(result, at);

    public void Record(ChainCheckpoint checkpoint) => _checkpoint = checkpoint;

    internal sealed record StatusSnapshot(AuditChainVerification Result, DateTimeOffset At);
}
