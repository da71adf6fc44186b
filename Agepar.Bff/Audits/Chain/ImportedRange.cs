namespace Agepar.Bff.Audits.Chain;

/// <summary>A row of <c>audit_imports</c>: the audit ids one import wrote, first and last included.</summary>
internal sealed record ImportedRange(long FirstAuditId, long LastAuditId)
{
    public bool Contains(long auditId) => auditId >= FirstAuditId && auditId <= LastAuditId;
}
