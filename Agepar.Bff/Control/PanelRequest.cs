using Agepar.Data;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Control;

/// <summary>What every control-panel handler needs (bound with <c>[AsParameters]</c>).</summary>
internal sealed record PanelRequest(PanelDatabase Database, IOptions<ControlPanelOptions> Options, Agepar.Data.Protection.CpfProtector Protector, CancellationToken CancellationToken)
{
    /// <summary>The context the panel reads with: the read replica when one is configured, else the primary.</summary>
    public AgeparDbContext Db => Database.Db;
}
