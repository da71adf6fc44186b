namespace Agepar.Bff.Audits.Chain;

/// <summary>Answer of <c>POST /api/admin/audits/verify</c>.</summary>
/// <param name="Intact">True when no break was found in the checked range.</param>
/// <param name="Checked">Seals checked (each one against its audit row and the previous link).</param>
/// <param name="Breaks">The breaks found, in chain order, at most <c>AuditChain:MaxBreaks</c>.</param>
public sealed record AuditChainVerification(bool Intact, long Checked, IReadOnlyList<AuditChainBreak> Breaks);

/// <summary>One place where the chain does not verify.</summary>
/// <param name="Id">The audit row's id (null for a break that concerns a range, e.g. a recorded partition drop).</param>
/// <param name="OccurredAt">The row's time as sealed (or the start of the range).</param>
/// <param name="Reason">What is wrong, in words.</param>
public sealed record AuditChainBreak(long? Id, DateTimeOffset? OccurredAt, string Reason);
