namespace Agepar.AppHost;

/// <summary><c>registry/image:tag</c> as the AppHost settings give it, e.g. <c>agepar.local/library/pgbouncer:1.18</c>.</summary>
internal readonly record struct ContainerImageReference(string Registry, string Image, string Tag)
{
    /// <summary>Splits <paramref name="reference"/>; <paramref name="setting"/> names the key in the error.</summary>
    public static ContainerImageReference Parse(string reference, string setting)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        var colon = reference.LastIndexOf(':');
        if (slash <= 0 || colon <= slash + 1 || colon == reference.Length - 1)
        {
            throw new InvalidOperationException($"{setting} must be registry/image:tag; got '{reference}'.");
        }

        return new(reference[..slash], reference[(slash + 1)..colon], reference[(colon + 1)..]);
    }
}
