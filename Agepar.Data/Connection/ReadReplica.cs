using Microsoft.EntityFrameworkCore;

namespace Agepar.Data.Connection;

/// <summary>
/// The optional read replica (connection string <see cref="ConnectionName"/>): analytic, read-only work such as the
/// control panel and its CSV exports goes there, off the primary. Replication lag means it may trail the primary by
/// a moment; never use it for a read that must see the caller's own write.
/// </summary>
public sealed class ReadReplica(IDbContextFactory<AgeparDbContext>? factory)
{
    /// <summary>Connection string name of the replica (<c>ConnectionStrings:agepar-replica</c>).</summary>
    public const string ConnectionName = "agepar-replica";

    /// <summary>No replica configured: readers use the primary.</summary>
    public static ReadReplica None { get; } = new(null);

    public bool IsConfigured => factory is not null;

    /// <summary>A new context on the replica (the caller disposes it), or null when none is configured.</summary>
    public AgeparDbContext? CreateContext() => factory?.CreateDbContext();
}
