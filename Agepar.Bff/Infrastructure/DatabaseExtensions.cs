using Agepar.Data;
using Microsoft.EntityFrameworkCore;

namespace Agepar.Bff.Infrastructure;

internal static class DatabaseExtensions
{
    /// <summary>Registers the pooled <see cref="AgeparDbContext"/> with Aspire's telemetry and retries.</summary>
    public static IHostApplicationBuilder AddAgeparDatabase(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(AgeparDbContext.ConnectionName)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{AgeparDbContext.ConnectionName} is not set (the AppHost sets it; see README).");

        builder.Services.AddDbContextPool<AgeparDbContext>(o => o.UseAgeparNpgsql(connectionString));
        // Our own DatabaseHealthCheck measures latency; Aspire's CanConnect check would be a second round trip.
        builder.EnrichNpgsqlDbContext<AgeparDbContext>(s => s.DisableHealthChecks = true);
        return builder;
    }
}
