namespace Agepar.Bff.Audits.Chain;

/// <summary>A row of <c>audit_imports</c>: the audit ids one import wrote, first and last included, and how many rows it wrote.</summary>
internal sealed record ImportedRange(long FirstAuditId, long LastAuditId, long RowCount)
{
    public bool Contains(long auditId) => auditId >= FirstAuditId && auditId <= LastAuditId;
}
