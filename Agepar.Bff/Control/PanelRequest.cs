using Agepar.Data;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Control;

/// <summary>What every control-panel handler needs (bound with <c>[AsParameters]</c>).</summary>
internal sealed record PanelRequest(AgeparDbContext Db, IOptions<ControlPanelOptions> Options, CancellationToken CancellationToken);
