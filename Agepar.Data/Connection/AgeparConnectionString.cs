using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Agepar.Data.Connection;

/// <summary>
/// Builds the effective connection string of a service: the configured one (or the seed's <c>DB_URL</c>), with the
/// pool, timeouts and TLS of <see cref="DatabaseOptions"/> applied, and the Production TLS rule enforced.
/// </summary>
public static class AgeparConnectionString
{
    /// <summary>The seed's variable: a URL that, when set, replaces <c>ConnectionStrings:agepar</c>.</summary>
    public const string DatabaseUrlVariable = "DB_URL";

    /// <summary>
    /// Reads <c>ConnectionStrings:{name}</c> (for <see cref="AgeparDbContext.ConnectionName"/> also <c>DB_URL</c>)
    /// and returns it with <paramref name="options"/> applied.
    /// </summary>
    /// <exception cref="InvalidOperationException">Missing, malformed, or too weak TLS for Production.</exception>
    public static string Build(IConfiguration configuration, string name, DatabaseOptions options, bool isProduction)
    {
        var raw = name == AgeparDbContext.ConnectionName && !string.IsNullOrWhiteSpace(configuration[DatabaseUrlVariable])
            ? configuration[DatabaseUrlVariable]!
            : configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(raw))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{name} is not set. The AppHost sets it; outside Aspire set ConnectionStrings__{name}" +
                (name == AgeparDbContext.ConnectionName ? $" or {DatabaseUrlVariable}." : "."));
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(DatabaseUrl.IsUrl(raw) ? DatabaseUrl.ToConnectionString(raw) : raw);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            // Npgsql's messages name the offending keyword, never the value: safe to surface.
            throw new InvalidOperationException($"Connection string '{name}' is invalid: {ex.Message}", ex);
        }

        return Apply(builder, options, name, isProduction).ConnectionString;
    }

    /// <summary>Applies pool, timeouts and TLS settings; enforces TLS ≥ Require in Production.</summary>
    public static NpgsqlConnectionStringBuilder Apply(
        NpgsqlConnectionStringBuilder builder, DatabaseOptions options, string name, bool isProduction)
    {
        builder.MaxPoolSize = options.MaxPoolSize;
        builder.MinPoolSize = Math.Min(options.MinPoolSize, options.MaxPoolSize);
        builder.Timeout = options.AcquireTimeoutSeconds;
        builder.CommandTimeout = options.CommandTimeoutSeconds;
        builder.ConnectionIdleLifetime = options.ConnectionIdleLifetimeSeconds;
        if (options.SslMode is { } sslMode)
        {
            builder.SslMode = sslMode;
        }

        if (!string.IsNullOrWhiteSpace(options.RootCertificate))
        {
            builder.RootCertificate = options.RootCertificate;
        }

        if (!string.IsNullOrWhiteSpace(options.ApplicationName))
        {
            builder.ApplicationName = options.ApplicationName;
        }

        if (options.PgBouncer)
        {
            builder.MaxAutoPrepare = 0;
            builder.NoResetOnClose = true;
        }
        else if (!options.ResetOnClose)
        {
            builder.NoResetOnClose = true;
        }

        if (isProduction && builder.SslMode is not (SslMode.Require or SslMode.VerifyCA or SslMode.VerifyFull))
        {
            throw new InvalidOperationException(
                $"Connection '{name}' uses SslMode={builder.SslMode}; Production requires Require, VerifyCA or VerifyFull " +
                "(set the AppHost parameter db-sslmode, or Database__SslMode; see README 'TLS').");
        }

        return builder;
    }
}
