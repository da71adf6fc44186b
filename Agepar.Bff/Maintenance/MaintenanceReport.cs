namespace Agepar.Bff.Maintenance;

/// <summary>What one maintenance run did.</summary>
/// <param name="StartedAt">When the run started (UTC).</param>
/// <param name="PartitionsCreated">Audit partitions created (empty when all were there).</param>
/// <param name="SessionsDeleted">Expired or revoked sessions deleted.</param>
/// <param name="LoginAttemptsDeleted">Old login attempts deleted.</param>
/// <param name="Errors">Steps that failed, with the reason (the other steps still ran).</param>
public sealed record MaintenanceReport(
    DateTimeOffset StartedAt,
    IReadOnlyList<string> PartitionsCreated,
    long SessionsDeleted,
    long LoginAttemptsDeleted,
    IReadOnlyList<string> Errors);
