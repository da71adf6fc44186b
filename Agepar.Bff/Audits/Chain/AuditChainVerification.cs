namespace Agepar.Bff.Audits.Chain;

/// <summary>Answer of <c>POST /api/admin/audits/verify</c>.</summary>
/// <param name="Intact">True when no break was found in the checked range.</param>
/// <param name="Checked">Seals checked (each one against its audit row and the previous link).</param>
/// <param name="Breaks">The breaks found, in chain order, at most <c>AuditChain:MaxBreaks</c>.</param>
public sealed record AuditChainVerification(bool Intact, long Checked, IReadOnlyList<AuditChainBreak> Breaks);
