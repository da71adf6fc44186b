using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agepar.Bff.Audits.Chain;

/// <summary>
/// The last full verification of the audit chain (it runs in the background, this check only reads its result):
/// Degraded when it found a break, Healthy when intact or not verified yet. The portal still works with a broken
/// chain; an operator must look at what broke it.
/// </summary>
internal sealed class AuditChainHealthCheck(AuditChainStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (status.LastVerification is not { } last)
        {
            return Task.FromResult(HealthCheckResult.Healthy("not verified yet"));
        }

        var data = new Dictionary<string, object>
        {
            ["verifiedAt"] = last.At,
            ["checked"] = last.Result.Checked,
            ["breaks"] = last.Result.Breaks.Count,
        };
        if (last.Result.Intact)
        {
            return Task.FromResult(HealthCheckResult.Healthy("audit chain intact", data));
        }

        var first = last.Result.Breaks[0];
        return Task.FromResult(HealthCheckResult.Degraded($"audit chain broken: id {first.Id} at {first.OccurredAt:O}: {first.Reason}", data: data));
    }
}
