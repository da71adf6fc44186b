using Microsoft.EntityFrameworkCore;

namespace Agepar.Data;

public static class NpgsqlOptionsExtensions
{
    /// <summary>The provider settings every user of <see cref="AgeparDbContext"/> shares (design time included).</summary>
    public static DbContextOptionsBuilder UseAgeparNpgsql(this DbContextOptionsBuilder builder, string? connectionString = null)
    {
        builder.UseNpgsql(connectionString, ConfigureNpgsql);
        return builder.UseSnakeCaseNamingConvention();
    }

    /// <summary>Npgsql provider options shared by the BFF, the migration service and design time.</summary>
    public static void ConfigureNpgsql(Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder npgsql) =>
        npgsql.MigrationsHistoryTable("__ef_migrations_history", "public");
}
