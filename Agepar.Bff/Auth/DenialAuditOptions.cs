using System.ComponentModel.DataAnnotations;

namespace Agepar.Bff.Auth;

/// <summary>
/// Aggregation of access-denial audits (section <c>Auth:DenialAudits</c>): a flood of refused requests must not
/// become a flood of permanent audit rows. Per (client IP, reason code) for anonymous callers, at most one
/// <c>auth.access_denied</c> row is written per <see cref="Window"/>; per (client IP, user, reason code, endpoint)
/// for signed-in ones, at most <see cref="SignedInRowsPerWindow"/> plus one summary. Each row carries in
/// <c>metadata.count</c> how many refusals it stands for.
/// </summary>
public sealed class DenialAuditOptions
{
    public const string SectionName = "Auth:DenialAudits";

    /// <summary>At most one row per key in this period: 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Rows written one by one per window for a signed-in user's key before refusals are summed up: 5. A person
    /// refused a few times keeps a row per refusal; a script hammering one endpoint does not fill the trail.
    /// </summary>
    [Range(1, 1000)]
    public int SignedInRowsPerWindow { get; set; } = 5;

    /// <summary>
    /// Keys tracked in memory at once; past it, new keys share one overflow key per reason (their IP is then not
    /// recorded). Bounds the memory an attacker with many addresses can make the BFF hold.
    /// </summary>
    [Range(100, 1_000_000)]
    public int MaxTrackedKeys { get; set; } = 10_000;
}
