using Agepar.Data;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Control;

/// <summary>What every control-panel handler needs (bound with <c>[AsParameters]</c>).</summary>
internal sealed record PanelRequest(
    PanelDatabase Database, IOptions<ControlPanelOptions> Options, Agepar.Data.Protection.CpfProtector Protector, HttpContext Http, CancellationToken CancellationToken)
{
    /// <summary>How this reader sees actor CPFs (clear for administrators, masked otherwise).</summary>
    public CpfView CpfView => new(Agepar.Bff.Auth.CurrentUserExtensions.RequireCurrentUser(Http), Protector);

    /// <summary>The context the panel reads with: the read replica when one is configured, else the primary.</summary>
    public AgeparDbContext Db => Database.Db;
}
