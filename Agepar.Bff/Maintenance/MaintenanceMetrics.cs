using System.Diagnostics.Metrics;

namespace Agepar.Bff.Maintenance;

/// <summary>Counters of the maintenance job (meter <c>Agepar.Bff</c>, registered in ServiceDefaults).</summary>
internal sealed class MaintenanceMetrics
{
    public MaintenanceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create("Agepar.Bff");
        Runs = meter.CreateCounter<long>("agepar.maintenance.runs", description: "Maintenance runs, by outcome (success, partial).");
        RowsDeleted = meter.CreateCounter<long>("agepar.maintenance.rows_deleted", description: "Rows deleted by retention, by table.");
        PartitionsCreated = meter.CreateCounter<long>("agepar.maintenance.partitions_created", description: "Monthly audit partitions created.");
    }

    public Counter<long> Runs { get; }

    public Counter<long> RowsDeleted { get; }

    public Counter<long> PartitionsCreated { get; }
}
