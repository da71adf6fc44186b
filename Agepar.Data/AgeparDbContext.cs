using Microsoft.EntityFrameworkCore;

namespace Agepar.Data;

/// <summary>The Agepar database: submissions, audits and auth data. Migrations live in <c>Migrations/</c>.</summary>
public sealed class AgeparDbContext(DbContextOptions<AgeparDbContext> options) : DbContext(options)
{
    /// <summary>The Aspire connection name (and database resource name) of the application database.</summary>
    public const string ConnectionName = "agepar";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AgeparDbContext).Assembly);
    }
}
