using Agepar.Tests.Infrastructure;
using Npgsql;

namespace Agepar.Tests.Database;

[Collection(AppCollection.Name)]
public sealed class PartitionTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task Partitions_exist_for_the_current_and_next_three_months()
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.Owner));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audits'::regclass", connection);
        var partitions = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                partitions.Add(reader.GetString(0));
            }
        }

        var month = new DateTime(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i <= 3; i++)
        {
            Assert.Contains($"audits_y{month.AddMonths(i):yyyy}m{month.AddMonths(i):MM}", partitions);
        }

        Assert.Contains("audits_default", partitions);
    }

    [Fact]
    public async Task An_audit_far_in_the_future_lands_in_the_default_partition()
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.App));
        await connection.OpenAsync();
        var marker = Guid.NewGuid().ToString("N");

        await PrivilegeTests.ExecuteAsync(connection,
            $"INSERT INTO audits (occurred_at, action, outcome, object_id) VALUES ('2099-06-15T12:00:00Z', 'auth.login', 'success', '{marker}')");
        var partition = await PrivilegeTests.ScalarAsync<string>(connection,
            $"SELECT tableoid::regclass::text FROM audits WHERE object_id = '{marker}'");

        Assert.Equal("audits_default", partition);
    }
}
