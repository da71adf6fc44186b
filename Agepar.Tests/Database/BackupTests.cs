using System.Text.RegularExpressions;
using Agepar.Tests.Infrastructure;
using Npgsql;

namespace Agepar.Tests.Database;

/// <summary>
/// The backup job (the AppHost's "backup" container running Backup/agepar-backup.sh): a backup is written at start,
/// "now" writes a dump whose restore check passes with the exact row counts, the dump restores into the real server
/// with the documented pg_restore command, retention deletes old backups, and a failed run leaves nothing behind.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class BackupTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task The_job_backs_up_at_start_when_no_backup_exists()
    {
        var container = await fixture.ContainerIdAsync("backup");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var listing = "";
        while (clock.Elapsed < AgeparAppFixture.StepTimeout)
        {
            listing = (await BackupAsync(container, "list")).Output;
            if (DumpName().IsMatch(listing))
            {
                return;
            }

            await Task.Delay(1000);
        }

        Assert.Fail($"no backup appeared in {AgeparAppFixture.StepTimeout}: {listing}\n{fixture.Logs.Dump("backup")}");
    }

    [Fact]
    public async Task A_backup_now_passes_its_restore_check_and_restores_into_the_server()
    {
        var container = await fixture.ContainerIdAsync("backup");
        var users = await ScalarAsync<long>(fixture, "SELECT count(*) FROM users");

        var (exitCode, output) = await BackupAsync(container, "now");

        Assert.True(exitCode == 0, output);
        Assert.Contains("restore check passed", output, StringComparison.Ordinal);
        Assert.Contains("counts match", output, StringComparison.Ordinal);
        var dump = DumpName().Matches(output).Last().Value;
        var counts = (await ExecAsync(container, "cat", $"/backups/{dump}.counts")).Output;
        Assert.Contains($"users|{users}", counts.Split('\n'));
        Assert.Contains("audits|", counts, StringComparison.Ordinal);

        // The documented restore: pg_restore --no-owner into a new database (here on the same server, as the superuser).
        var target = "agepar_restored_" + Guid.NewGuid().ToString("N")[..8];
        var superuser = new NpgsqlConnectionStringBuilder(await fixture.GetSuperuserConnectionStringAsync());
        var server = new NpgsqlConnectionStringBuilder((await ExecAsync(container, "printenv", "AGEPAR_DB")).Output.Trim());
        await ExecuteAsync(fixture, $"CREATE DATABASE {target}");
        try
        {
            var restore = await ExecAsync(container, "env", $"PGPASSWORD={superuser.Password}",
                "pg_restore", "-h", server.Host!, "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-U", superuser.Username!, "-d", target, "--no-owner", "--exit-on-error", $"/backups/{dump}");
            Assert.True(restore.ExitCode == 0, restore.Output);

            await using var restored = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.Superuser, target));
            await restored.OpenAsync();
            await using var count = Command(restored, "SELECT count(*) FROM users");
            Assert.Equal(users, (long)(await count.ExecuteScalarAsync())!);
            await using var partitions = Command(restored, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'audits'::regclass");
            Assert.True((long)(await partitions.ExecuteScalarAsync())! >= 5, "the monthly partitions and the default one are restored");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(fixture, $"DROP DATABASE IF EXISTS {target} WITH (FORCE)");
        }
    }

    [Fact]
    public async Task Backups_past_the_retention_are_deleted_and_recent_ones_kept()
    {
        var container = await fixture.ContainerIdAsync("backup");
        const string old = "agepar-20200101T000000Z.dump";
        await ExecAsync(container, "runuser", "-u", "postgres", "--", "touch", $"/backups/{old}", $"/backups/{old}.sha256", $"/backups/{old}.counts");

        var (exitCode, output) = await BackupAsync(container, "now");
        var listing = (await BackupAsync(container, "list")).Output;

        Assert.True(exitCode == 0, output);
        Assert.Contains($"retention: deleted {old}", output, StringComparison.Ordinal);
        Assert.DoesNotContain(old, listing, StringComparison.Ordinal);
        Assert.Contains(DumpName().Matches(output).Last().Value, listing, StringComparison.Ordinal);
        Assert.Equal(1, (await ExecAsync(container, "test", "-e", $"/backups/{old}.sha256")).ExitCode); // gone with its dump
    }

    [Fact]
    public async Task A_failed_backup_exits_non_zero_and_leaves_no_partial_file()
    {
        var container = await fixture.ContainerIdAsync("backup");
        var before = (await BackupAsync(container, "list")).Output;

        var (exitCode, output) = await ExecAsync(container, "env", "AGEPAR_DB=Host=127.0.0.1;Port=1;Database=agepar;Username=agepar_admin;Password=x",
            "bash", "-c", "bash -c \"$AGEPAR_BACKUP_SCRIPT\" agepar-backup now");

        Assert.Equal(1, exitCode);
        Assert.Contains("FAILED", output, StringComparison.Ordinal);
        Assert.Equal(before, (await BackupAsync(container, "list")).Output);
        Assert.Equal("", (await ExecAsync(container, "find", "/backups", "-name", "*.partial*")).Output.Trim());
    }

    [Fact]
    public async Task The_job_connects_as_the_read_only_backup_role()
    {
        var container = await fixture.ContainerIdAsync("backup");
        var server = new NpgsqlConnectionStringBuilder((await ExecAsync(container, "printenv", "AGEPAR_DB")).Output.Trim());
        Assert.Equal("agepar_backup", server.Username);

        await using var backup = await OpenAsync(fixture, DbRole.Backup);
        await using (var read = Command(backup, "SELECT count(*) FROM audits"))
        {
            Assert.True((long)(await read.ExecuteScalarAsync())! >= 0);
        }

        foreach (var sql in new[]
                 {
                     "INSERT INTO audits (action, outcome) VALUES ('auth.login', 'success')",
                     "UPDATE users SET name = name",
                     "DELETE FROM audit_seals",
                     "CREATE TABLE backup_was_here (id int)",
                     "SET agepar.audit_maintenance = 'on'; DELETE FROM audits",
                 })
        {
            await using var write = Command(backup, sql);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => write.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        Assert.True(await ScalarAsync<bool>(fixture, """
            SELECT r.rolcanlogin AND NOT r.rolsuper AND NOT r.rolcreaterole AND NOT r.rolcreatedb AND NOT r.rolbypassrls
                   AND pg_has_role('agepar_backup', 'pg_read_all_data', 'MEMBER')
                   AND NOT pg_has_role('agepar_backup', 'agepar_admin', 'MEMBER')
                   AND NOT pg_has_role('agepar_backup', 'pg_write_all_data', 'MEMBER')
              FROM pg_roles r WHERE r.rolname = 'agepar_backup'
            """));
    }

    [Fact]
    public async Task Backup_files_are_private_carry_the_chain_head_and_a_missing_or_unreadable_counts_fails_the_restore_check()
    {
        var container = await fixture.ContainerIdAsync("backup");
        var (exitCode, output) = await BackupAsync(container, "now");
        Assert.True(exitCode == 0, output);
        var dump = "/backups/" + DumpName().Matches(output).Last().Value;

        foreach (var file in new[] { dump, dump + ".sha256", dump + ".counts", dump + ".chain" })
        {
            Assert.Equal("600", (await ExecAsync(container, "stat", "-c", "%a", file)).Output.Trim());
        }

        // The chain head in the dump's snapshot is a real seal of the database: a checkpoint outside it.
        var chain = (await ExecAsync(container, "cat", dump + ".chain")).Output.Trim().Split('|');
        var seq = long.Parse(chain[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(seq >= 1, string.Join('|', chain));
        Assert.Equal(chain[1], await ScalarAsync<string>(fixture, "SELECT encode(link, 'hex') FROM audit_seals WHERE seq = @s", ("s", seq)));

        await ExecAsync(container, "mv", dump + ".counts", dump + ".counts.aside");
        var missing = await BackupAsync(container, $"verify {dump}");
        await ExecAsync(container, "mv", dump + ".counts.aside", dump + ".counts");
        await ExecAsync(container, "chmod", "000", dump + ".counts");
        var unreadable = await BackupAsync(container, $"verify {dump}");
        await ExecAsync(container, "chmod", "600", dump + ".counts");
        var again = await BackupAsync(container, $"verify {dump}");

        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("missing or unreadable", missing.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("restore check passed", missing.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, unreadable.ExitCode);
        Assert.Contains("missing or unreadable", unreadable.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("restore check passed", unreadable.Output, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("counts match", again.Output, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output)> BackupAsync(string container, string command) =>
        ExecAsync(container, "bash", "-c", $"bash -c \"$AGEPAR_BACKUP_SCRIPT\" agepar-backup {command}");

    private static Task<(int ExitCode, string Output)> ExecAsync(string container, params string[] command) =>
        ProcessRunner.RunAsync(ContainerEngine.Name, ["exec", container, .. command], Path.GetTempPath(), _ => { });

    [GeneratedRegex(@"agepar-\d{8}T\d{6}Z\.dump")]
    private static partial Regex DumpName();
}
