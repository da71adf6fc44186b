using System.Net.Http.Headers;
using Agepar.Bff.Health;
using Agepar.Data.Connection;
using Agepar.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Agepar.Tests.Database;

/// <summary>
/// A saturated connection pool (every connection busy, so new callers wait) shows as <c>database-pool</c> Degraded,
/// naming the pool, and as the <c>agepar.db.pool.*</c> metrics.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PoolSaturationTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task A_pool_with_every_connection_held_is_reported_degraded_by_name()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var monitor = new NpgsqlPoolMonitor(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var check = new DatabasePoolHealthCheck(monitor, Options.Create(new HealthOptions()));
        var name = "saturation-test-" + Guid.NewGuid().ToString("N")[..8];
        var builder = new NpgsqlDataSourceBuilder(await fixture.GetConnectionStringAsync(DbRole.App));
        AgeparConnectionString.Apply(builder.ConnectionStringBuilder, new DatabaseOptions { MaxPoolSize = 3, MinPoolSize = 0, AcquireTimeoutSeconds = 2 }, "agepar", false);
        builder.ConnectionStringBuilder.Pooling = true;
        builder.Name = name;
        await using var dataSource = builder.Build();

        var held = new List<NpgsqlConnection>();
        try
        {
            held.Add(await dataSource.OpenConnectionAsync());
            var partly = await CheckAsync(check);
            Assert.DoesNotContain(name, partly.Description ?? "", StringComparison.Ordinal); // 1 of 3 is below 90 %

            held.Add(await dataSource.OpenConnectionAsync());
            held.Add(await dataSource.OpenConnectionAsync());
            var saturated = await CheckAsync(check);

            Assert.Equal(HealthStatus.Degraded, saturated.Status);
            Assert.Contains($"{name} 3/3 in use", saturated.Description, StringComparison.Ordinal);
            var pool = Assert.Single(monitor.Snapshot(), p => p.Label == name);
            Assert.Equal(3, pool.Used);
            Assert.Equal(3, pool.Max);
            Assert.Equal(1.0, pool.Saturation);
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }

        var released = await CheckAsync(check);
        Assert.DoesNotContain(name, released.Description ?? "", StringComparison.Ordinal);
        Assert.Equal(0, Assert.Single(monitor.Snapshot(), p => p.Label == name).Used);
    }

    [Fact]
    public async Task The_bff_exports_its_pool_use_as_metrics()
    {
        using var client = fixture.CreateBffClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.PrometheusToken);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var text = "";
        while (clock.Elapsed < AgeparAppFixture.StepTimeout && !text.Contains("agepar_db_pool_saturation", StringComparison.Ordinal))
        {
            await Task.Delay(500);
            text = await client.GetStringAsync("/metrics");
        }

        Assert.Contains("agepar_db_pool_saturation", text, StringComparison.Ordinal);
        Assert.Contains("agepar_db_pool_connections", text, StringComparison.Ordinal);
        Assert.Contains("agepar_db_pool_max", text, StringComparison.Ordinal);
    }

    private static Task<HealthCheckResult> CheckAsync(DatabasePoolHealthCheck check) =>
        check.CheckHealthAsync(new HealthCheckContext
        {
            Registration = new HealthCheckRegistration("database-pool", check, HealthStatus.Degraded, null),
        });
}
