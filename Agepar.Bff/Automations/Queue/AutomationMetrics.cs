using System.Diagnostics;
using System.Diagnostics.Metrics;
using Agepar.Bff.Infrastructure;

namespace Agepar.Bff.Automations.Queue;

/// <summary>Meter and activity source of the submission worker (names registered in ServiceDefaults: <c>Agepar.Bff</c>).</summary>
internal sealed class AutomationMetrics
{
    public const string Name = BffTelemetry.Name;

    public static readonly ActivitySource ActivitySource = new(Name);

    public AutomationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        Claimed = meter.CreateCounter<long>("agepar.submissions.claimed", description: "Submissions claimed by this worker (reclaimed=true after an expired lease).");
        Finished = meter.CreateCounter<long>("agepar.submissions.finished", description: "Attempts finished, by kind and outcome (done, retry, error, lost_lease, released).");
        Duration = meter.CreateHistogram<double>("agepar.submissions.processing.duration", unit: "s", description: "Time spent in the automation per attempt.");
        QueueWait = meter.CreateHistogram<double>("agepar.submissions.queue.wait", unit: "s", description: "From submit to first claim.");
    }

    public Counter<long> Claimed { get; }

    public Counter<long> Finished { get; }

    public Histogram<double> Duration { get; }

    public Histogram<double> QueueWait { get; }
}
