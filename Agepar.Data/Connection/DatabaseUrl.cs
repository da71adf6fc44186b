using System.Globalization;
using Npgsql;

namespace Agepar.Data.Connection;

/// <summary>
/// Converts the seed's URL form (<c>postgresql+psycopg2://user:pass@host:5432/db?sslmode=require</c>, also
/// <c>postgresql://</c>, <c>postgres://</c>, <c>postgresql+asyncpg://</c>) into an Npgsql connection string.
/// Errors name the problem and never echo the password.
/// </summary>
public static class DatabaseUrl
{
    private static readonly string[] Schemes = ["postgresql", "postgres"];

    /// <summary>True when <paramref name="value"/> looks like a URL rather than a key=value connection string.</summary>
    public static bool IsUrl(string value) => value.Contains("://", StringComparison.Ordinal);

    public static string ToConnectionString(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var trimmed = url.Trim();
        var schemeEnd = trimmed.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            throw Invalid("it is not a URL of the form postgresql://user:password@host:5432/database");
        }

        var scheme = trimmed[..schemeEnd].ToLowerInvariant();
        var baseScheme = scheme.Split('+')[0];
        if (!Schemes.Contains(baseScheme))
        {
            throw Invalid($"scheme '{scheme}' is not PostgreSQL (expected postgresql://, postgresql+psycopg2:// or postgres://)");
        }

        if (!Uri.TryCreate("postgresql" + trimmed[schemeEnd..], UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw Invalid("the host part is missing or malformed");
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host.Trim('[', ']') };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            throw Invalid("the database name is missing (…/agepar)");
        }

        builder.Database = database;
        foreach (var (key, value) in ParseQuery(uri.Query))
        {
            Apply(builder, key, value);
        }

        return builder.ConnectionString;
    }

    private static void Apply(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key.ToLowerInvariant())
        {
            case "sslmode":
                builder.SslMode = value.ToLowerInvariant() switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw Invalid($"sslmode '{value}' is not one of disable, allow, prefer, require, verify-ca, verify-full"),
                };
                break;
            case "sslrootcert":
                builder.RootCertificate = value;
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            case "connect_timeout":
                builder.Timeout = ParseInt(key, value);
                break;
            case "options" or "target_session_attrs":
                // Server-side options and libpq multi-host selection have Npgsql equivalents configured elsewhere.
                break;
            default:
                throw Invalid($"query parameter '{key}' is not supported (supported: sslmode, sslrootcert, application_name, connect_timeout)");
        }
    }

    private static int ParseInt(string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw Invalid($"{key} must be a positive integer");

    private static IEnumerable<(string Key, string Value)> ParseQuery(string query) =>
        query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : ""));

    private static FormatException Invalid(string reason) => new($"DB_URL is invalid: {reason}.");
}
