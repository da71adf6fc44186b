using System.Diagnostics.Metrics;

namespace Agepar.Bff.Audits.Chain;

/// <summary>Metrics of the audit chain (meter <c>Agepar.Bff</c>, registered in ServiceDefaults).</summary>
internal sealed class AuditChainMetrics
{
    public AuditChainMetrics(IMeterFactory meterFactory, AuditChainStatus status)
    {
        var meter = meterFactory.Create("Agepar.Bff");
        Sealed = meter.CreateCounter<long>("agepar.audit.sealed", description: "Audit rows sealed into the hash chain by this process.");
        meter.CreateObservableGauge("agepar.audit.chain.intact", () => status.Intact is { } intact ? [new Measurement<int>(intact ? 1 : 0)] : Array.Empty<Measurement<int>>(),
            description: "1 when the last full verification of the audit chain found no break, 0 when it found one.");
        meter.CreateObservableGauge("agepar.audit.chain.length", () => status.Checkpoint is { } head ? [new Measurement<long>(head.Seq)] : Array.Empty<Measurement<long>>(),
            description: "Sequence number of the chain head at the last checkpoint (the number of seals).");
    }

    public Counter<long> Sealed { get; }
}
