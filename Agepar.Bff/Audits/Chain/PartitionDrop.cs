namespace Agepar.Bff.Audits.Chain;

/// <summary>A row of <c>audit_partition_drops</c>.</summary>
internal sealed record PartitionDrop(string PartitionName, DateTimeOffset RangeFrom, DateTimeOffset RangeTo, long RowCount, long SealedCount, long? LastSeq, byte[]? LastLink)
{
    public bool Covers(DateTimeOffset occurredAt) => occurredAt >= RangeFrom && occurredAt < RangeTo;
}
