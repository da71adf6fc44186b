using Agepar.Data.Connection;
using Npgsql;

namespace Agepar.Tests.Database;

/// <summary>The seed's DB_URL form is accepted; garbage fails with a message that names the problem, never the password.</summary>
public sealed class DatabaseUrlTests
{
    [Theory]
    [InlineData("postgresql+psycopg2://agepar_user:s3cr%40t@db-prod:5432/agepar", "db-prod", 5432, "agepar_user", "s3cr@t", "agepar", SslMode.Prefer)]
    [InlineData("postgresql://u:p@localhost/agepar?sslmode=require", "localhost", 5432, "u", "p", "agepar", SslMode.Require)]
    [InlineData("postgres://u:p@10.0.0.5:6432/agepar?sslmode=verify-full", "10.0.0.5", 6432, "u", "p", "agepar", SslMode.VerifyFull)]
    [InlineData("postgresql+asyncpg://u@[::1]:5433/db", "::1", 5433, "u", null, "db", SslMode.Prefer)]
    public void Converts_urls(string url, string host, int port, string user, string? password, string database, SslMode sslMode)
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(url));

        Assert.Equal(host, builder.Host);
        Assert.Equal(port, builder.Port);
        Assert.Equal(user, builder.Username);
        Assert.Equal(password, builder.Password);
        Assert.Equal(database, builder.Database);
        Assert.Equal(sslMode, builder.SslMode);
    }

    [Theory]
    [InlineData("mysql://u:topsecret@host/db", "scheme")]
    [InlineData("postgresql://u:topsecret@host", "database name")]
    [InlineData("postgresql://u:topsecret@host/db?sslmode=sometimes", "sslmode")]
    [InlineData("postgresql://u:topsecret@host/db?frobnicate=1", "frobnicate")]
    [InlineData("postgresql://u:topsecret@/db", "host")]
    [InlineData("not a url at all", "not a URL")]
    public void Rejects_garbage_without_echoing_the_password(string url, string reason)
    {
        var error = Assert.Throws<FormatException>(() => DatabaseUrl.ToConnectionString(url));

        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain("topsecret", error.Message);
    }

    [Fact]
    public void Pool_timeouts_and_tls_options_are_applied()
    {
        var options = new DatabaseOptions { SslMode = SslMode.Require, PgBouncer = true };

        var builder = AgeparConnectionString.Apply(
            new NpgsqlConnectionStringBuilder("Host=h;Database=agepar"), options, "agepar", isProduction: true);

        Assert.Equal(15, builder.MaxPoolSize);
        Assert.Equal(10, builder.MinPoolSize);
        Assert.Equal(30, builder.Timeout);
        Assert.Equal(30, builder.CommandTimeout);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal(0, builder.MaxAutoPrepare);
        Assert.True(builder.NoResetOnClose);
    }

    [Theory]
    [InlineData(SslMode.Disable)]
    [InlineData(SslMode.Prefer)]
    [InlineData(SslMode.Allow)]
    public void Production_refuses_tls_weaker_than_require(SslMode weak)
    {
        var error = Assert.Throws<InvalidOperationException>(() => AgeparConnectionString.Apply(
            new NpgsqlConnectionStringBuilder("Host=h;Database=agepar;Password=topsecret") { SslMode = weak },
            new DatabaseOptions(), "agepar", isProduction: true));

        Assert.Contains("Production requires", error.Message);
        Assert.DoesNotContain("topsecret", error.Message);
    }
}
