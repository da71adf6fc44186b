namespace Agepar.Bff.Infrastructure;

/// <summary>The BFF's one meter and activity source name (listed in ServiceDefaults' TelemetrySourceNames).</summary>
internal static class BffTelemetry
{
    public const string Name = "Agepar.Bff";
}
