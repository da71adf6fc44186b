using Agepar.Data;
using Agepar.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Agepar.Tests.Database;

/// <summary>
/// The migration service's change management, each case on its own fresh database of the fixture's server:
/// Plan changes nothing; required approval refuses; the approved target applies; a second run is a no-op; a database
/// that agepar_admin owns (provisioned before the owner role) is handed to agepar_owner.
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
        // Provisioned, then migrated through SET ROLE: the NOLOGIN owner owns everything, agepar_admin nothing.
        Assert.Empty(await ScalarInAsync<string[]>(database, OwnerRoleTests.NotOwnedByOwnerSql));
        Assert.Equal(0L, await ScalarInAsync<long>(database, OwnerRoleTests.OwnedByAdminSql));
    }

    [Fact]
    public async Task A_database_owned_by_agepar_admin_is_handed_to_agepar_owner_and_a_second_run_is_a_no_op()
    {
        var database = await CreateDatabaseAsync();
        var first = await RunAsync(database, []);
        Assert.True(first.ExitCode == 0, first.Output);
        // Back to how provisioning left a database before the owner role existed: agepar_admin owns the lot.
        await using (var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.Superuser, database)))
        {
            await connection.OpenAsync();
            await PrivilegeTests.ExecuteAsync(connection, """
                DO $old$
                DECLARE r record;
                BEGIN
                    FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c
                              WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
                                AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e') LOOP
                        EXECUTE format('ALTER TABLE %s OWNER TO agepar_admin', r.rel);
                    END LOOP;
                    FOR r IN SELECT p.oid::regprocedure AS fn FROM pg_proc p
                              WHERE p.pronamespace = 'public'::regnamespace
                                AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e') LOOP
                        EXECUTE format('ALTER FUNCTION %s OWNER TO agepar_admin', r.fn);
                    END LOOP;
                    ALTER SCHEMA public OWNER TO agepar_admin;
                    EXECUTE format('ALTER DATABASE %I OWNER TO agepar_admin', current_database());
                END
                $old$;
                """);
        }

        Assert.True(await ScalarInAsync<long>(database, OwnerRoleTests.OwnedByAdminSql) > 20);

        var second = await RunAsync(database, []);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Empty(await ScalarInAsync<string[]>(database, OwnerRoleTests.NotOwnedByOwnerSql));
        Assert.Equal(0L, await ScalarInAsync<long>(database, OwnerRoleTests.OwnedByAdminSql));
        Assert.Equal("agepar_owner", await ScalarInAsync<string>(database, "SELECT datdba::regrole::text FROM pg_database WHERE datname = 'agepar'"));
        var before = await SnapshotAsync(database);

        var third = await RunAsync(database, []);

        Assert.True(third.ExitCode == 0, third.Output);
        Assert.Contains("no migration to apply", third.Output);
        Assert.Equal(before, await SnapshotAsync(database));
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

    private async Task<T> ScalarInAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.Superuser, database));
        await connection.OpenAsync();
        return await PrivilegeTests.ScalarAsync<T>(connection, sql);
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

    /// <summary>What a second run must leave untouched: applied migrations, partitions, audit rows, owners and grants.</summary>
    private async Task<Snapshot> SnapshotAsync(string database)
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.Superuser, database));
        await connection.OpenAsync();
        return new Snapshot(
            (int)await PrivilegeTests.ScalarAsync<long>(connection, $"SELECT count(*) FROM {DatabaseObjects.MigrationsHistoryTable}"),
            (int)await PrivilegeTests.ScalarAsync<long>(connection, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'audits'::regclass"),
            await PrivilegeTests.ScalarAsync<long>(connection, "SELECT count(*) FROM audits"),
            await PrivilegeTests.ScalarAsync<string>(connection,
                "SELECT coalesce(string_agg(relname || ':' || relowner::regrole::text || ':' || coalesce(relacl::text, ''), ',' ORDER BY relname), '') FROM pg_class WHERE relnamespace = 'public'::regnamespace"));
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
