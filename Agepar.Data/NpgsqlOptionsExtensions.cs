using Microsoft.EntityFrameworkCore;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace Agepar.Data;

/// <summary>Registers the Npgsql provider the way every user of <see cref="AgeparDbContext"/> must.</summary>
public static class NpgsqlOptionsExtensions
{
    /// <summary>The provider settings every user of <see cref="AgeparDbContext"/> shares (design time included).</summary>
    public static DbContextOptionsBuilder UseAgeparNpgsql(
        this DbContextOptionsBuilder builder, string? connectionString = null, Action<NpgsqlDbContextOptionsBuilder>? configure = null)
    {
        builder.UseNpgsql(connectionString, npgsql =>
        {
            ConfigureNpgsql(npgsql);
            configure?.Invoke(npgsql);
        });
        return builder.UseSnakeCaseNamingConvention();
    }

    /// <summary>Npgsql provider options shared by the BFF, the migration service and design time.</summary>
    public static void ConfigureNpgsql(NpgsqlDbContextOptionsBuilder npgsql) =>
        npgsql.MigrationsHistoryTable(DatabaseObjects.MigrationsHistoryTable, "public");
}
