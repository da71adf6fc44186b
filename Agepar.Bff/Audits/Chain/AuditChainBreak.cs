namespace Agepar.Bff.Audits.Chain;

/// <summary>One place where the chain does not verify.</summary>
/// <param name="Id">The audit row's id (null for a break that concerns a range, e.g. a recorded partition drop).</param>
/// <param name="OccurredAt">The row's time as sealed (or the start of the range).</param>
/// <param name="Reason">What is wrong, in words.</param>
public sealed record AuditChainBreak(long? Id, DateTimeOffset? OccurredAt, string Reason);
