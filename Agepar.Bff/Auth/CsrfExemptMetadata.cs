namespace Agepar.Bff.Auth;

/// <summary>Endpoint metadata: skip the CSRF check (only the login endpoint, which no session authenticates).</summary>
public sealed class CsrfExemptMetadata
{
    public static readonly CsrfExemptMetadata Instance = new();
}
