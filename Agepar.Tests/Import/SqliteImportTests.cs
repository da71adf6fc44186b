using Agepar.Tests.Auth;
using Agepar.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Agepar.Tests.Import;

/// <summary>The importer from the old portal's SQLite dev database (original-portal.md §1.7): submissions and audits.</summary>
[Collection(AppCollection.Name)]
public sealed class SqliteImportTests(AgeparAppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Imports_submissions_and_audits_from_the_sqlite_file_with_text_timestamps_and_text_json()
    {
        var sfx = Guid.NewGuid().ToString("N")[..10];
        var cpf = TestCpf.New();
        // A database migrated up to before the audit chain, as on the switch-over day (docs/import.md): the file has audits.
        var target = await OldPortalFixtures.CreateMigratedTargetAsync(fixture, OldPortalFixtures.BeforeAuditChain);
        var actor = await OldPortalFixtures.ScalarInAsync<Guid>(fixture, target,
            "INSERT INTO users (email, name, cpf) VALUES (@e, 'Ator', @c) RETURNING id", ("e", AuthTestData.UniqueEmail("sqlite-actor")), ("c", cpf));
        var folder = Directory.CreateTempSubdirectory("agepar-sqlite-").FullName;
        var file = Path.Combine(folder, $"app-{sfx}.db");
        var (kept, badJson, noVersion, badTime) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var numeric = $"17{sfx}";

        await using (var sqlite = new SqliteConnection($"Data Source={file}"))
        {
            await sqlite.OpenAsync();
            await using var command = sqlite.CreateCommand();
            command.CommandText = """
                CREATE TABLE submissions (id TEXT PRIMARY KEY, kind TEXT NOT NULL, version TEXT, actor_cpf TEXT, actor_nome TEXT,
                    actor_email TEXT, payload TEXT, status TEXT, result TEXT, error TEXT, created_at TEXT, updated_at TEXT);
                CREATE TABLE audits (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT, actor_cpf TEXT, actor_nome TEXT, kind TEXT, action TEXT, meta TEXT);
                INSERT INTO submissions VALUES
                  ($kept, 'form2json', '1.0.0', $cpf, 'Ator', NULL, '{"nome": "x"}', 'done', '{"file_path": "/app/data/files/x.json"}', NULL, '2020-01-15 10:00:00', '2020-01-15 10:00:02'),
                  ($numeric, 'form2json', '1.0.0', $cpf, 'Ator', NULL, '{"nome": "y"}', 'error', NULL, 'falhou', '2020-01-16T10:00:00', '2020-01-16T10:00:01'),
                  ($badJson, 'form2json', '1.0.0', $cpf, 'Ator', NULL, '{bad', 'done', NULL, NULL, '2020-01-17 10:00:00', '2020-01-17 10:00:00'),
                  ($noVersion, 'form2json', NULL, $cpf, 'Ator', NULL, '{}', 'done', NULL, NULL, '2020-01-18 10:00:00', '2020-01-18 10:00:00'),
                  ($badTime, 'form2json', '1.0.0', $cpf, 'Ator', NULL, '{}', 'done', NULL, NULL, 'ontem', 'ontem');
                INSERT INTO audits (at, actor_cpf, actor_nome, kind, action, meta) VALUES
                  ('2020-01-15 10:00:00', $cpf, 'Ator', 'form2json', 'submitted', '{"sid": "' || $kept || '"}'),
                  ('2020-01-16 10:00:01', $cpf, 'Ator', 'form2json', 'failed', 'não é json'),
                  ('quando?', $cpf, 'Ator', 'form2json', 'completed', NULL);
                """;
            command.Parameters.AddWithValue("$kept", kept);
            command.Parameters.AddWithValue("$numeric", numeric);
            command.Parameters.AddWithValue("$badJson", badJson);
            command.Parameters.AddWithValue("$noVersion", noVersion);
            command.Parameters.AddWithValue("$badTime", badTime);
            command.Parameters.AddWithValue("$cpf", cpf);
            await command.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        var label = $"sqlite:app-{sfx}.db";

        var dry = await OldPortalFixtures.ImportIntoAsync(fixture, target, "--from", file, "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.Output);
        Assert.Equal(0L, await OldPortalFixtures.ScalarInAsync<long>(fixture, target, "SELECT count(*) FROM submissions WHERE actor_user_id = @a", ("a", actor)));

        var run = await OldPortalFixtures.ImportIntoAsync(fixture, target, "--from", file);
        output.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([5, 2, 0, 3, 1, 2, 0], OldPortalFixtures.ReportRow(run.Output, "submissions"));
        Assert.Equal([3, 2, 0, 1, 1, 2, 0], OldPortalFixtures.ReportRow(run.Output, "audits"));
        foreach (var reason in new[] { "payload is not valid JSON", "version missing", "created_at missing or unreadable", "at missing or unreadable" })
        {
            Assert.Contains(reason, run.Output);
        }

        Assert.Equal(2L, await OldPortalFixtures.ScalarInAsync<long>(fixture, target, "SELECT count(*) FROM submissions WHERE actor_user_id = @a", ("a", actor)));
        Assert.True(await OldPortalFixtures.ScalarInAsync<bool>(fixture, target,
            "SELECT created_at = '2020-01-15T10:00:00Z' FROM submissions WHERE id = @id AND status = 'done' AND payload->>'nome' = 'x'", ("id", Guid.Parse(kept))));
        Assert.Equal("failure", await OldPortalFixtures.ScalarInAsync<string>(fixture, target, """
            SELECT outcome FROM audits WHERE metadata->>'import_source' = @label AND action = 'submission.failed'
               AND metadata->>'legacy_meta_text' = 'não é json' AND occurred_at = '2020-01-16T10:00:01Z'
            """, ("label", label)));

        var again = await OldPortalFixtures.ImportIntoAsync(fixture, target, "--from", file);
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal([5, 0, 2, 3, 0, 2, 0], OldPortalFixtures.ReportRow(again.Output, "submissions"));
        Assert.Equal([3, 0, 2, 1, 0, 2, 0], OldPortalFixtures.ReportRow(again.Output, "audits"));
        Assert.Equal(2L, await OldPortalFixtures.ScalarInAsync<long>(fixture, target, "SELECT count(*) FROM audits WHERE metadata->>'import_source' = @label", ("label", label)));
    }

    [Fact]
    public async Task A_missing_source_or_a_bad_argument_fails_and_changes_nothing()
    {
        var missing = await OldPortalFixtures.ImportAsync(fixture, "--from", Path.Combine(Path.GetTempPath(), $"nope-{Guid.NewGuid():N}.db"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.Output);

        var bad = await OldPortalFixtures.ImportAsync(fixture, "--from");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("usage:", bad.Output);
    }
}
