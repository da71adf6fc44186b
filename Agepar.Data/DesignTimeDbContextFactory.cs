using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Agepar.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without a running database or an app host.
/// The connection string is never opened for <c>migrations add</c>/<c>script</c>.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AgeparDbContext>
{
    public AgeparDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AgeparDbContext>();
        options.UseAgeparNpgsql("Host=localhost;Database=agepar");
        return new AgeparDbContext(options.Options);
    }
}
