namespace Agepar.Bff.Audits.Chain;

/// <summary>Answer of <c>POST /api/admin/audits/verify</c>.</summary>
/// <param name="Intact">True when no break was found in the checked range.</param>
/// <param name="Checked">Seals checked (each one against its audit row and the previous link).</param>
/// <param name="Breaks">The breaks found, in chain order, at most <c>AuditChain:MaxBreaks</c>.</param>
/// <param name="Imported">Rows older than <c>AuditChain:MaxSealLag</c> at sealing that are not breaks because their id lies in a range the importer recorded in <c>audit_imports</c>.</param>
public sealed record AuditChainVerification(bool Intact, long Checked, IReadOnlyList<AuditChainBreak> Breaks, long Imported = 0);
