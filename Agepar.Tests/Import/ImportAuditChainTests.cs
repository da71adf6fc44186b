using Agepar.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Agepar.Tests.Import;

/// <summary>
/// The importer and the tamper-evident audit chain (migration <c>AuditChain</c>): on a fully migrated target it refuses
/// to write back-dated history unless the chain records import ranges (<c>audit_imports</c>, the change docs/import.md
/// proposes, created here by hand), and then records the range its rows took. Scratch target databases, so the shared
/// one's chain is never touched.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ImportAuditChainTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task A_chained_target_without_an_import_exemption_is_refused_and_left_unchanged()
    {
        var target = await OldPortalFixtures.CreateMigratedTargetAsync(fixture);
        var before = await CountAsync(target, "SELECT count(*) FROM audits");

        var (exitCode, output) = await OldPortalFixtures.ImportIntoAsync(fixture, target, "--from", await SqliteWithOneAuditAsync());

        Assert.True(exitCode == 1, output);
        Assert.Contains("audit hash chain is enabled", output);
        Assert.Equal(before, await CountAsync(target, "SELECT count(*) FROM audits"));
    }

    [Fact]
    public async Task With_an_import_exemption_the_rows_and_their_id_range_are_recorded_together()
    {
        var target = await OldPortalFixtures.CreateMigratedTargetAsync(fixture);
        await ExecuteAsync(target, """
            CREATE TABLE audit_imports (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, first_audit_id bigint NOT NULL, last_audit_id bigint NOT NULL,
                                        row_count bigint NOT NULL, source text NOT NULL, imported_at timestamptz NOT NULL DEFAULT now(),
                                        imported_by name NOT NULL DEFAULT current_user);
            """);

        var (exitCode, output) = await OldPortalFixtures.ImportIntoAsync(fixture, target, "--from", await SqliteWithOneAuditAsync());

        Assert.True(exitCode == 0, output);
        Assert.Equal(1L, await CountAsync(target, """
            SELECT count(*) FROM audit_imports i
             WHERE i.row_count = 1
               AND i.first_audit_id = (SELECT min(id) FROM audits WHERE metadata ? 'import_source')
               AND i.last_audit_id = (SELECT max(id) FROM audits WHERE metadata ? 'import_source')
            """));
    }

    private static async Task<string> SqliteWithOneAuditAsync()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("agepar-chain-").FullName, "app.db");
        await using (var sqlite = new SqliteConnection($"Data Source={file}"))
        {
            await sqlite.OpenAsync();
            await using var command = sqlite.CreateCommand();
            command.CommandText = """
                CREATE TABLE submissions (id TEXT PRIMARY KEY, kind TEXT, version TEXT, actor_cpf TEXT, actor_nome TEXT, actor_email TEXT,
                    payload TEXT, status TEXT, result TEXT, error TEXT, created_at TEXT, updated_at TEXT);
                CREATE TABLE audits (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT, actor_cpf TEXT, actor_nome TEXT, kind TEXT, action TEXT, meta TEXT);
                INSERT INTO audits (at, kind, action, meta) VALUES ('2021-05-05 05:05:05', 'form2json', 'submitted', '{}');
                """;
            await command.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        return file;
    }

    private async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.Admin, database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> CountAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.Admin, database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
