using System.ComponentModel.DataAnnotations;

namespace Agepar.Bff.Audits.Chain;

/// <summary>
/// The tamper-evident audit chain (configuration section <c>AuditChain</c>): how often the sealer runs, how late a
/// row may be sealed before it counts as back-dated, and how often the chain is checkpointed and verified.
/// </summary>
public sealed class AuditChainOptions : IValidatableObject
{
    public const string SectionName = "AuditChain";

    /// <summary>Run the sealer, the checkpoints and the scheduled verification in this process (the verify endpoint works either way).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between sealing runs. Every replica tries; an advisory lock lets one seal at a time.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan SealInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Rows sealed per transaction.</summary>
    [Range(100, 100_000)]
    public int SealBatchSize { get; set; } = 5_000;

    /// <summary>
    /// A row must be sealed within this time of its <c>occurred_at</c>: older and sealed later, or older and still
    /// unsealed, it is reported as back-dated. Longer than the longest transaction that writes an audit plus
    /// <see cref="SealInterval"/>; also the window in which the sealer looks for rows that committed late.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "30.00:00:00")]
    public TimeSpan MaxSealLag { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How often the sealer also looks for rows that committed late with a lower id (every unsealed row of the last
    /// <see cref="MaxSealLag"/>); new ids are looked for on every run. Shorter than <see cref="MaxSealLag"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan LateCommitCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the chain head is written to the log and the <c>agepar.audit.chain.*</c> metrics.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the whole chain is verified (the result feeds <c>agepar.audit.chain.intact</c> and <c>/api/health</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00")]
    public TimeSpan VerifyInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Breaks listed in one verification answer (counting continues past it).</summary>
    [Range(1, 10_000)]
    public int MaxBreaks { get; set; } = 100;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SealInterval >= MaxSealLag)
        {
            yield return new ValidationResult("SealInterval must be shorter than MaxSealLag.", [nameof(SealInterval), nameof(MaxSealLag)]);
        }

        if (SealInterval + LateCommitCheckInterval >= MaxSealLag)
        {
            yield return new ValidationResult("SealInterval + LateCommitCheckInterval must be shorter than MaxSealLag.", [nameof(LateCommitCheckInterval), nameof(MaxSealLag)]);
        }
    }
}
