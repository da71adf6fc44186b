using System.Net;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Database;

/// <summary>
/// pgBouncer compatibility: the fixture puts pgBouncer (transaction pooling) between the BFF and postgres, so every
/// other test also runs through it; this one checks that the BFF's traffic really takes that path.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PgBouncerTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task The_bff_reaches_postgres_through_pgbouncer_in_transaction_mode()
    {
        Assert.True(fixture.PgBouncerEnabled,
            "pgBouncer is off: eng/ensure-images.sh builds its image on Debian as root (PgBouncer__Image); run the tests through eng/test.sh there.");
        using var user = await ApiSession.CreateUserAsync(fixture, "user");
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/api/me")).StatusCode);

        var container = await fixture.ContainerIdAsync("pgbouncer");
        var (exitCode, addresses) = await ProcessRunner.RunAsync(ContainerEngine.Name,
            ["inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", container], Path.GetTempPath(), _ => { });
        Assert.Equal(0, exitCode);
        var ips = addresses.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(ips);

        // Server connections opened by pgBouncer (from its container's address) as agepar_user for the BFF.
        Assert.True(await ScalarAsync<long>(fixture,
            "SELECT count(*) FROM pg_stat_activity WHERE usename = 'agepar_user' AND host(client_addr) = ANY(@ips)", ("ips", ips)) >= 1,
            $"no agepar_user connection from pgBouncer ({string.Join(", ", ips)})");
    }
}
