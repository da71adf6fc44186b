using Agepar.Data;
using Microsoft.EntityFrameworkCore;

namespace Agepar.Tests.Database;

public sealed class ModelTests
{
    [Fact]
    public void Every_model_change_has_a_migration()
    {
        var options = new DbContextOptionsBuilder<AgeparDbContext>();
        options.UseAgeparNpgsql("Host=unused");
        using var db = new AgeparDbContext(options.Options);

        Assert.False(db.Database.HasPendingModelChanges(),
            "The EF model differs from the last migration's snapshot: dotnet ef migrations add <Name> --project Agepar.Data --output-dir Migrations");
    }
}
