using Agepar.Data;
using Agepar.Data.Connection;

namespace Agepar.Bff.Control;

/// <summary>
/// Where the control panel reads, per request: the read replica when <c>ConnectionStrings:agepar-replica</c> is set,
/// otherwise the primary's context. The panel only reads, so it never needs the primary for its own writes.
/// </summary>
internal sealed class PanelDatabase(AgeparDbContext primary, ReadReplica replica) : IAsyncDisposable
{
    private AgeparDbContext? _replicaContext;

    public AgeparDbContext Db => replica.IsConfigured ? _replicaContext ??= replica.CreateContext()! : primary;

    public async ValueTask DisposeAsync()
    {
        if (_replicaContext is not null)
        {
            await _replicaContext.DisposeAsync();
        }
    }
}
