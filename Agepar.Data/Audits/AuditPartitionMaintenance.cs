using Microsoft.EntityFrameworkCore;

namespace Agepar.Data.Audits;

/// <summary>
/// Typed calls to the audit partition functions. Both need the role that owns <c>audits</c> (the migrations role):
/// EXECUTE is revoked from PUBLIC and the application role cannot create or drop tables.
/// </summary>
public static class AuditPartitionMaintenance
{
    /// <summary>
    /// Runs <c>ensure_audit_partitions(monthsAhead)</c>: creates the missing monthly partitions (UTC months) from the
    /// current month through <paramref name="monthsAhead"/> months ahead, moving any rows of those months out of
    /// <c>audits_default</c>. Returns the partitions created (empty when all existed). Safe to run at every start.
    /// </summary>
    public static Task<List<string>> EnsureAuditPartitionsAsync(
        this AgeparDbContext db, int monthsAhead = 3, CancellationToken cancellationToken = default) =>
        db.Database
            .SqlQuery<string>($"SELECT p AS \"Value\" FROM ensure_audit_partitions({monthsAhead}) AS p")
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Runs <c>drop_audit_partitions_older_than(cutoff)</c>: detaches and drops every monthly partition whose upper
    /// bound is on or before <paramref name="cutoff"/> (midnight UTC). Rows in <c>audits_default</c> are never
    /// touched. Returns the partitions dropped.
    /// </summary>
    public static Task<List<string>> DropAuditPartitionsOlderThanAsync(
        this AgeparDbContext db, DateOnly cutoff, CancellationToken cancellationToken = default) =>
        db.Database
            .SqlQuery<string>($"SELECT p AS \"Value\" FROM drop_audit_partitions_older_than({cutoff}) AS p")
            .ToListAsync(cancellationToken);
}
