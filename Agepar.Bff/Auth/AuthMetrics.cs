using System.Diagnostics.Metrics;
using Agepar.Bff.Infrastructure;

namespace Agepar.Bff.Auth;

/// <summary>Counters of refused traffic (meter <c>Agepar.Bff</c>): what the audit trail aggregates, the metrics count one by one.</summary>
internal sealed class AuthMetrics
{
    private readonly Counter<long> _anonymousRejected;
    private readonly Counter<long> _denials;

    public AuthMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(BffTelemetry.Name);
        _anonymousRejected = meter.CreateCounter<long>("agepar.http.anonymous_rejected",
            description: "Anonymous requests refused with 429 by the per-IP budget before any authentication work.");
        _denials = meter.CreateCounter<long>("agepar.auth.denials",
            description: "Requests refused with 401/403, by status and code (audited aggregated per IP, user and code).");
    }

    public void AnonymousRejected() => _anonymousRejected.Add(1);

    public void Denied(int status, string code) =>
        _denials.Add(1, new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("code", code));
}
