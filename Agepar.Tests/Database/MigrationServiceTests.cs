using Agepar.Data;
using Agepar.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Agepar.Tests.Database;

/// <summary>
/// The migration service's change management, each case on its own fresh database of the fixture's server:
/// Plan changes nothing; required approval refuses; the approved target applies; a second run is a no-op.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class MigrationServiceTests(AgeparAppFixture fixture)
{
    private static readonly string LatestMigration = AllMigrations()[^1];

    [Fact]
    public async Task Plan_mode_writes_the_script_and_the_pending_list_and_changes_nothing()
    {
        var database = await CreateDatabaseAsync();
        var folder = Directory.CreateTempSubdirectory("agepar-plan-").FullName;

        var (exitCode, output) = await RunAsync(database, new() { ["Migrations__Mode"] = "Plan", ["Migrations__PlanOutputPath"] = folder });

        Assert.True(exitCode == 0, output);
        Assert.Equal(AllMigrations(), await File.ReadAllLinesAsync(Path.Combine(folder, "pending-migrations.txt")));
        Assert.Contains("CREATE TABLE", await File.ReadAllTextAsync(Path.Combine(folder, "migrate.sql")));
        Assert.False(await TableExistsAsync(database, "users"));
    }

    [Fact]
    public async Task Without_approval_under_change_management_it_refuses_with_exit_code_2_and_changes_nothing()
    {
        var database = await CreateDatabaseAsync();

        var (exitCode, output) = await RunAsync(database, new() { ["Migrations__RequireApproval"] = "true" });

        Assert.True(exitCode == 2, output);
        Assert.Contains("Migrations__ApprovedTarget=" + LatestMigration, output);
        Assert.False(await TableExistsAsync(database, "users"));
    }

    [Fact]
    public async Task Approved_target_applies_and_a_second_run_is_a_no_op()
    {
        var database = await CreateDatabaseAsync();
        var approved = new Dictionary<string, string>
        {
            ["Migrations__RequireApproval"] = "true",
            ["Migrations__ApprovedTarget"] = LatestMigration,
        };

        var first = await RunAsync(database, approved);
        Assert.True(first.ExitCode == 0, first.Output);
        var before = await SnapshotAsync(database);

        var second = await RunAsync(database, approved);

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("no migration to apply", second.Output);
        Assert.Equal(before, await SnapshotAsync(database));
        Assert.Equal(AllMigrations().Count, before.Migrations);
        Assert.True(before.Partitions >= 5, $"expected default + 4 monthly partitions, got {before.Partitions}");
    }

    [Fact]
    public async Task In_production_it_refuses_to_start_with_tls_weaker_than_require()
    {
        var database = await CreateDatabaseAsync();

        // The fixture's connection strings set no SSL Mode, i.e. Npgsql's default Prefer (the local container has no certificate).
        var (exitCode, output) = await RunAsync(database, new() { ["DOTNET_ENVIRONMENT"] = "Production" });

        Assert.True(exitCode == 1, output);
        Assert.Contains("Production requires Require, VerifyCA or VerifyFull", output);
        Assert.DoesNotContain(fixture.Parameters["agepar-admin-password"], output);
        Assert.False(await TableExistsAsync(database, "users"));
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string database, Dictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>(settings)
        {
            ["ConnectionStrings__agepar-admin"] = await fixture.GetConnectionStringAsync(DbRole.Admin, database),
            ["ConnectionStrings__agepar-provisioning"] = await fixture.GetConnectionStringAsync(DbRole.Superuser, database),
            ["Provisioning__AdminPassword"] = fixture.Parameters["agepar-admin-password"],
            ["Provisioning__AppUserPassword"] = fixture.Parameters["agepar-user-password"],
            ["Provisioning__MonitorPassword"] = fixture.Parameters["agepar-monitor-password"],
            ["Provisioning__BackupPassword"] = fixture.Parameters["agepar-backup-password"],
        };
        return await MigrationServiceRunner.RunAsync(environment);
    }

    private async Task<string> CreateDatabaseAsync()
    {
        var name = "agepar_cm_" + Guid.NewGuid().ToString("N")[..10];
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.Superuser));
        await connection.OpenAsync();
        await PrivilegeTests.ExecuteAsync(connection, $"CREATE DATABASE {name}");
        return name;
    }

    private async Task<bool> TableExistsAsync(string database, string table)
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.Superuser, database));
        await connection.OpenAsync();
        return await PrivilegeTests.ScalarAsync<bool>(connection, $"SELECT to_regclass('public.{table}') IS NOT NULL");
    }

    /// <summary>What a second run must leave untouched: applied migrations, partitions, audit rows, role grants.</summary>
    private async Task<Snapshot> SnapshotAsync(string database)
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.Superuser, database));
        await connection.OpenAsync();
        return new Snapshot(
            (int)await PrivilegeTests.ScalarAsync<long>(connection, $"SELECT count(*) FROM {DatabaseObjects.MigrationsHistoryTable}"),
            (int)await PrivilegeTests.ScalarAsync<long>(connection, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'audits'::regclass"),
            await PrivilegeTests.ScalarAsync<long>(connection, "SELECT count(*) FROM audits"),
            await PrivilegeTests.ScalarAsync<string>(connection,
                "SELECT coalesce(string_agg(relname || ':' || coalesce(relacl::text, ''), ',' ORDER BY relname), '') FROM pg_class WHERE relnamespace = 'public'::regnamespace"));
    }

    private static List<string> AllMigrations()
    {
        var options = new DbContextOptionsBuilder<AgeparDbContext>();
        options.UseAgeparNpgsql("Host=unused");
        using var db = new AgeparDbContext(options.Options);
        return db.Database.GetMigrations().ToList();
    }

    private sealed record Snapshot(int Migrations, int Partitions, long Audits, string Acl);
}
