using System.Net;
using System.Text.Json;
using Agepar.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit.Abstractions;
using static Agepar.Tests.Automations.AutomationTestData;

namespace Agepar.Tests.Import;

/// <summary>
/// The importer and the tamper-evident audit chain: on a chained target it writes back-dated history only where the
/// chain records imports (<c>audit_imports</c>, migration <c>AuditImports</c>), records the id range its rows took in
/// the same transaction, and the verifier then reports those rows as imported while an unrecorded back-dated row is
/// still a break. The refusal and the recording run on scratch databases; the verification on the live one (its chain
/// stays intact: the imported range is recorded, and the planted row is removed again before the sealer sees it).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ImportAuditChainTests(AgeparAppFixture fixture, ITestOutputHelper output)
{
    private const long SealerLockKey = 7_243_120_901_337;

    [Fact]
    public async Task A_chained_target_without_the_audit_imports_migration_is_refused_and_left_unchanged()
    {
        var target = await OldPortalFixtures.CreateMigratedTargetAsync(fixture, OldPortalFixtures.BeforeAuditImports);
        var before = await CountAsync(target, "SELECT count(*) FROM audits");

        var (exitCode, runOutput) = await OldPortalFixtures.ImportIntoAsync(fixture, target, "--from", await SqliteWithOneAuditAsync());

        Assert.True(exitCode == 1, runOutput);
        Assert.Contains("audit hash chain is enabled", runOutput);
        Assert.Equal(before, await CountAsync(target, "SELECT count(*) FROM audits"));
    }

    [Fact]
    public async Task On_a_fully_migrated_target_the_rows_and_their_id_range_are_recorded_together()
    {
        var target = await OldPortalFixtures.CreateMigratedTargetAsync(fixture);

        var (exitCode, runOutput) = await OldPortalFixtures.ImportIntoAsync(fixture, target, "--from", await SqliteWithOneAuditAsync());

        Assert.True(exitCode == 0, runOutput);
        Assert.Equal(1L, await CountAsync(target, """
            SELECT count(*) FROM audit_imports i
             WHERE i.row_count = 1 AND i.imported_by = 'agepar_admin'
               AND i.first_audit_id <= (SELECT min(id) FROM audits WHERE metadata ? 'import_source')
               AND i.last_audit_id = (SELECT max(id) FROM audits WHERE metadata ? 'import_source')
            """));
        // The verifier (agepar_user) reads the record; only the owner writes it.
        Assert.Equal(1L, await CountAsync(target, """
            SELECT count(*) WHERE has_table_privilege('agepar_user', 'audit_imports', 'SELECT')
              AND NOT has_table_privilege('agepar_user', 'audit_imports', 'INSERT')
              AND NOT has_table_privilege('agepar_user', 'audit_imports', 'DELETE')
            """));
    }

    [Fact]
    public async Task After_an_import_into_the_chained_live_database_the_chain_verifies_and_an_unrecorded_back_dated_row_breaks_it()
    {
        using var admin = await ApiSession.AdminAsync(fixture);

        var (exitCode, runOutput) = await OldPortalFixtures.ImportAsync(fixture, "--from", await SqliteWithOneAuditAsync());
        Assert.True(exitCode == 0, runOutput);
        var (first, last) = await ImportedRangeAsync();
        var imported = await ScalarAsync<long>(fixture, "SELECT id FROM audits WHERE id BETWEEN @f AND @l", ("f", first), ("l", last));
        await WaitSealedAsync(imported);

        var afterImport = await VerifyAsync(admin);
        output.WriteLine($"verify after importing into the chained database: {afterImport}");
        Assert.True(afterImport.GetProperty("intact").GetBoolean(), afterImport.ToString());
        Assert.True(afterImport.GetProperty("imported").GetInt64() >= 1, afterImport.ToString());

        // The same kind of row, written by the owner as if imported (import metadata, an old date) but without a
        // record in audit_imports: back-dated. The sealer is paused so the row can be removed unsealed afterwards.
        var marker = "unrecorded-" + Guid.NewGuid().ToString("N")[..8];
        await using var pause = await OpenAsync(fixture);
        await Command(pause, "SELECT pg_advisory_lock(@k)", ("k", SealerLockKey)).ExecuteNonQueryAsync();
        try
        {
            long planted;
            await using (var owner = await OpenAsync(fixture, DbRole.Owner))
            await using (var insert = Command(owner, """
                INSERT INTO audits (occurred_at, action, outcome, object_type, object_id, metadata)
                VALUES ('2021-05-05T05:05:05Z', 'submission.created', 'success', 'test', @m,
                        jsonb_build_object('import_source', 'forged', 'import_table', 'audits', 'import_id', '1'))
                RETURNING id
                """, ("m", marker)))
            {
                planted = (long)(await insert.ExecuteScalarAsync())!;
            }

            var forged = await VerifyAsync(admin);
            output.WriteLine($"verify after an unrecorded back-dated row: {forged}");
            Assert.False(forged.GetProperty("intact").GetBoolean());
            var found = Assert.Single(forged.GetProperty("breaks").EnumerateArray(), b => b.GetProperty("id").ValueKind == JsonValueKind.Number && b.GetProperty("id").GetInt64() == planted);
            Assert.Contains("back-dated", found.GetProperty("reason").GetString());

            await using var superuser = await OpenAsync(fixture);
            await using var tx = await superuser.BeginTransactionAsync();
            await new NpgsqlCommand("SET LOCAL agepar.audit_maintenance = 'on'", superuser, tx).ExecuteNonQueryAsync();
            await using var remove = Command(superuser, "DELETE FROM audits WHERE object_id = @m", ("m", marker));
            remove.Transaction = tx;
            Assert.Equal(1, await remove.ExecuteNonQueryAsync());
            await tx.CommitAsync();
        }
        finally
        {
            await Command(pause, "SELECT pg_advisory_unlock(@k)", ("k", SealerLockKey)).ExecuteNonQueryAsync();
        }

        var repaired = await VerifyAsync(admin);
        Assert.True(repaired.GetProperty("intact").GetBoolean(), repaired.ToString());
    }

    private async Task<(long First, long Last)> ImportedRangeAsync()
    {
        await using var connection = await OpenAsync(fixture);
        await using var command = Command(connection, "SELECT first_audit_id, last_audit_id FROM audit_imports ORDER BY id DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private async Task WaitSealedAsync(long id)
    {
        using var cts = new CancellationTokenSource(AgeparAppFixture.StepTimeout);
        while (await ScalarAsync<long>(fixture, "SELECT count(*) FROM audit_seals WHERE audit_id = @id", ("id", id)) == 0)
        {
            await Task.Delay(250, cts.Token);
        }
    }

    private static async Task<JsonElement> VerifyAsync(ApiSession session)
    {
        using var response = await session.Client.PostAsync("/api/admin/audits/verify", null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
        return await JsonAsync(response);
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

    private async Task<long> CountAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.Owner, database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
