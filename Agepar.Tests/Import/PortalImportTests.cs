using System.Net;
using Agepar.Tests.Auth;
using Agepar.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Agepar.Tests.Import;

/// <summary>
/// The importer from the current portal's PostgreSQL database into the fixture's agepar database: representative and
/// dirty rows, the dry run, the import, the mappings, an Argon2 login of an imported user, and the re-run.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PortalImportTests(AgeparAppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Imports_the_old_portal_reports_dirty_rows_changes_nothing_in_a_dry_run_and_nothing_new_on_a_rerun()
    {
        var sfx = Guid.NewGuid().ToString("N")[..10];
        var database = $"oldportal_{sfx}";
        var source = await OldPortalFixtures.CreateDatabaseAsync(fixture, database);

        var anaCpf = TestCpf.New();
        var (ana, bia) = (Guid.NewGuid(), Guid.NewGuid());
        var anaEmail = $"Ana.{sfx}@Agepar.PR.gov.br";
        var biaEmail = $"bia.{sfx}@agepar.pr.gov.br";
        var legacyRole = $"legacy_{sfx}";
        await OldPortalFixtures.ExecuteAsync(source, """
            INSERT INTO users (id, cpf, email, name, password_hash, status, is_superuser, must_change_password, created_at) VALUES
              (@ana, @anaCpf, @anaEmail, 'Ana Importada', @hash, 'active', false, false, '2019-01-02T10:00:00Z'),
              (@bia, NULL, @biaEmail, 'Bia Bloqueada', NULL, 'blocked', false, false, '2019-01-03T10:00:00Z'),
              (gen_random_uuid(), '12345678900', @badCpfEmail, 'CPF Invalido', NULL, 'active', false, true, '2019-01-04T10:00:00Z'),
              (gen_random_uuid(), NULL, @oddStatusEmail, 'Status Estranho', NULL, 'disabled', false, true, '2019-01-05T10:00:00Z'),
              (gen_random_uuid(), NULL, NULL, 'Sem Email', NULL, 'active', false, true, '2019-01-06T10:00:00Z'),
              (gen_random_uuid(), NULL, lower(@anaEmail), 'Ana Duplicada', NULL, 'active', false, true, '2019-01-07T10:00:00Z'),
              (gen_random_uuid(), NULL, 'dev@local', 'Dev Admin', NULL, 'active', true, false, '2019-01-08T10:00:00Z');
            INSERT INTO roles (name, description) VALUES ('user', 'Usuário'), (@legacyRole, 'Papel só do portal antigo'), ('Bad Role', NULL);
            INSERT INTO user_roles (user_id, role_id) SELECT @ana, id FROM roles WHERE name IN ('user', @legacyRole);
            INSERT INTO user_roles (user_id, role_id) SELECT u.id, r.id FROM users u, roles r WHERE u.cpf = '12345678900' AND r.name = 'user';
            INSERT INTO audit_events (at, actor_user_id, action, object_type, object_id, message, metadata, ip, user_agent) VALUES
              ('2019-04-02T08:00:00Z', @ana, 'auth.login', 'user', @ana::text, NULL, '{"remember": true}', '10.0.0.1', 'Mozilla/5.0'),
              ('2019-04-03T08:00:00Z', (SELECT id FROM users WHERE cpf = '12345678900'), 'user.register', NULL, NULL, 'cadastro', '{}', NULL, NULL),
              ('2019-04-04T08:00:00Z', @ana, 'task_weekly_email', 'task_weekly_email', 'run', NULL, '{"runKey": "x"}', NULL, NULL);
            """,
            ("ana", ana), ("bia", bia), ("anaCpf", anaCpf), ("anaEmail", anaEmail), ("biaEmail", biaEmail), ("hash", PasswordHasherTests.PortalVector),
            ("badCpfEmail", $"cpf.{sfx}@agepar.test"), ("oddStatusEmail", $"status.{sfx}@agepar.test"), ("legacyRole", legacyRole));

        var (done, legacyText, queued, dfd, dfdDuplicate, dfdDeleted, strange, orphan) =
            (Guid.NewGuid(), $"legacy-{sfx}-1", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var protocolo = $"P-{sfx}";
        await OldPortalFixtures.ExecuteAsync(source, """
            INSERT INTO submissions (id, kind, version, actor_cpf, actor_nome, actor_email, payload, status, result, error, created_at, updated_at) VALUES
              (@done, 'form2json', '1.0.0', @anaCpfFormatted, 'Ana Importada', @anaEmail, '{"nome": "Ana"}', 'done',
                 '{"file_path": "/app/data/files/form2json/x.json", "filename": "x.json"}', NULL, '2019-03-10T09:00:00Z', '2019-03-10T09:00:05Z'),
              (@legacyText, 'ferias', '1.2.0', NULL, 'Bia Bloqueada', @biaEmail, '{"dias": 10}', 'error', NULL, 'boom', '2019-03-11T09:00:00Z', '2019-03-11T09:01:00Z'),
              (@queued, 'form2json', '1.0.0', @anaCpf, 'Ana Importada', @anaEmail, '{}', 'queued', NULL, NULL, '2019-03-12T09:00:00Z', '2019-03-12T09:00:00Z'),
              (@dfd, 'dfd', '2.6.0', @anaCpf, 'Ana Importada', @anaEmail, jsonb_build_object('protocolo', @protocolo), 'done',
                 '{"arquivos": [{"kind": "pdf", "file_path": "/app/data/files/dfd/a.pdf"}]}', NULL, '2019-03-13T09:00:00Z', '2019-03-13T09:00:00Z'),
              (@dfdDuplicate, 'dfd', '2.6.0', @anaCpf, 'Ana Importada', @anaEmail, jsonb_build_object('protocolo', @protocolo), 'done', NULL, NULL, '2019-03-14T09:00:00Z', '2019-03-14T09:00:00Z'),
              (@dfdDeleted, 'dfd', '2.6.0', @anaCpf, 'Ana Importada', @anaEmail, jsonb_build_object('protocolo', @protocolo), 'done',
                 '{"status": "deleted", "_soft_delete": {"deleted": true}}', NULL, '2019-03-15T09:00:00Z', '2019-03-15T09:00:00Z'),
              (@strange, 'form2json', '1.0.0', @anaCpf, 'Ana Importada', @anaEmail, '{}', 'paused', NULL, NULL, '2019-03-16T09:00:00Z', '2019-03-16T09:00:00Z'),
              (@orphan, 'form2json', '1.0.0', @nobodyCpf, 'Ninguém', NULL, '{}', 'done', NULL, NULL, '2019-03-17T09:00:00Z', '2019-03-17T09:00:00Z');
            INSERT INTO automation_audits (at, actor_cpf, actor_nome, kind, action, meta) VALUES
              ('2019-03-10T09:00:00Z', @anaCpf, 'Ana Importada', 'form2json', 'submitted', jsonb_build_object('sid', @done::text)),
              ('2019-03-10T09:00:05Z', @anaCpf, 'Ana Importada', 'form2json', 'completed', jsonb_build_object('sid', @done::text)),
              ('2019-03-11T09:00:00Z', NULL, 'Bia Bloqueada', 'ferias', 'submitted', jsonb_build_object('sid', @legacyText)),
              ('2019-03-18T09:00:00Z', @anaCpf, 'Ana Importada', 'fileshare', 'download_denied', '{"filename": "a.pdf"}'),
              ('2019-03-19T09:00:00Z', 'abc', 'Sujo', 'fileshare', 'uploaded', NULL),
              ('2019-03-20T09:00:00Z', @anaCpf, 'Ana Importada', 'dfd', '', NULL);
            """,
            ("done", done.ToString()), ("legacyText", legacyText), ("queued", queued.ToString()), ("dfd", dfd.ToString()),
            ("dfdDuplicate", dfdDuplicate.ToString()), ("dfdDeleted", dfdDeleted.ToString()), ("strange", strange.ToString()),
            ("orphan", orphan.ToString()), ("anaCpf", anaCpf), ("anaCpfFormatted", $"{anaCpf[..3]}.{anaCpf[3..6]}.{anaCpf[6..9]}-{anaCpf[9..]}"),
            ("anaEmail", anaEmail), ("biaEmail", biaEmail), ("protocolo", protocolo), ("nobodyCpf", TestCpf.New()));

        var label = $"pg:{database}";
        const string importedAudits = "SELECT count(*) FROM audits WHERE metadata->>'import_source' = @label";

        // Dry run: the full report, and nothing changed.
        var dry = await OldPortalFixtures.ImportAsync(fixture, "--from", source, "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.Output);
        Assert.Contains("DRY RUN", dry.Output);
        Assert.Equal([7, 2, 0, 5, 0, 2, 0], OldPortalFixtures.ReportRow(dry.Output, "users"));
        Assert.Equal(0L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM users WHERE email IN (@a, @b)", ("a", anaEmail.ToLowerInvariant()), ("b", biaEmail)));
        Assert.Equal(0L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM roles WHERE name = @r", ("r", legacyRole)));
        Assert.Equal(0L, await ScalarAsync<long>(fixture, importedAudits, ("label", label)));

        // Import.
        var run = await OldPortalFixtures.ImportAsync(fixture, "--from", source);
        output.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("VERIFIED", run.Output);
        Assert.Equal([7, 2, 0, 5, 0, 2, 0], OldPortalFixtures.ReportRow(run.Output, "users"));
        Assert.Equal([3, 1, 1, 1, 0, 2, 0], OldPortalFixtures.ReportRow(run.Output, "roles"));
        Assert.Equal([3, 2, 0, 1, 0, 2, 0], OldPortalFixtures.ReportRow(run.Output, "user_roles"));
        Assert.Equal([8, 5, 0, 3, 2, 5, 0], OldPortalFixtures.ReportRow(run.Output, "submissions"));
        Assert.Equal([6, 5, 0, 1, 1, 5, 0], OldPortalFixtures.ReportRow(run.Output, "automation_audits"));
        Assert.Equal([3, 3, 0, 0, 1, 3, 0], OldPortalFixtures.ReportRow(run.Output, "audit_events"));
        foreach (var reason in new[] { "invalid CPF", "unknown status", "e-mail missing", "duplicate e-mail in the source", "invalid e-mail",
                     "duplicate protocolo", "actor not found", "action missing", "role name does not match" })
        {
            Assert.Contains(reason, run.Output);
        }

        Assert.Contains("Files referenced on disk by imported submissions (not copied into the database): 2", run.Output);

        // Users: e-mail lower-cased, CPF digits, hash as it was, statuses kept; roles granted, the unknown one created.
        Assert.Equal(anaCpf, await ScalarAsync<string>(fixture, "SELECT cpf FROM users WHERE id = @id AND email = @e", ("id", ana), ("e", anaEmail.ToLowerInvariant())));
        Assert.Equal(PasswordHasherTests.PortalVector, await ScalarAsync<string>(fixture, "SELECT password_hash FROM users WHERE id = @id", ("id", ana)));
        Assert.Equal("blocked", await ScalarAsync<string>(fixture, "SELECT status FROM users WHERE id = @id", ("id", bia)));
        Assert.Equal(0L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM users WHERE email = 'dev@local' OR email = @e", ("e", $"cpf.{sfx}@agepar.test")));
        Assert.Equal(2L, await ScalarAsync<long>(fixture,
            "SELECT count(*) FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = @id AND r.name IN ('user', @r)", ("id", ana), ("r", legacyRole)));

        // Submissions: ids kept (UUIDs), statuses mapped, actors resolved by CPF (formatted too) or e-mail.
        Assert.Equal("done", await ScalarAsync<string>(fixture, "SELECT status FROM submissions WHERE id = @id AND actor_user_id = @a AND actor_cpf = @c",
            ("id", done), ("a", ana), ("c", anaCpf)));
        Assert.Equal("error", await ScalarAsync<string>(fixture, "SELECT status FROM submissions WHERE actor_user_id = @b AND kind = 'ferias' AND error = 'boom'", ("b", bia)));
        Assert.StartsWith("Importada do portal anterior com status 'queued'", await ScalarAsync<string>(fixture,
            "SELECT error FROM submissions WHERE id = @id AND status = 'error'", ("id", queued)));
        Assert.Equal("cancelled", await ScalarAsync<string>(fixture, "SELECT status FROM submissions WHERE id = @id", ("id", dfdDeleted)));
        Assert.Equal(0L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM submissions WHERE id = ANY(@ids)", ("ids", new[] { dfdDuplicate, strange, orphan })));

        // Audits: original time, mapped action, original kept, partition of that month, object pointing at the submission.
        Assert.Equal(8L, await ScalarAsync<long>(fixture, importedAudits, ("label", label)));
        Assert.Equal(1L, await ScalarAsync<long>(fixture, """
            SELECT count(*) FROM audits_y2019m03 WHERE metadata->>'import_source' = @label AND action = 'submission.created'
               AND metadata->>'legacy_action' = 'submitted' AND occurred_at = '2019-03-10T09:00:00Z' AND object_type = 'submission'
               AND object_id = @sid AND actor_user_id = @ana
            """, ("label", label), ("sid", done.ToString()), ("ana", ana)));
        Assert.Equal("denied", await ScalarAsync<string>(fixture,
            "SELECT outcome FROM audits WHERE metadata->>'import_source' = @label AND action = 'legacy.event' AND metadata->>'legacy_action' = 'download_denied'", ("label", label)));
        Assert.Equal(1L, await ScalarAsync<long>(fixture, """
            SELECT count(*) FROM audits_y2019m04 WHERE metadata->>'import_source' = @label AND action = 'auth.login' AND actor_user_id = @ana
               AND ip = '10.0.0.1'::inet AND metadata->'legacy_meta'->>'remember' = 'true'
            """, ("label", label), ("ana", ana)));

        // The imported user signs in through the BFF with the old portal's password, by e-mail and by CPF.
        using (var login = await AuthTestData.LoginAsync(ApiSession.AnonymousClient(fixture), anaEmail, PasswordHasherTests.PortalVectorPassword))
        {
            Assert.True(login.StatusCode == HttpStatusCode.OK, await AuthTestData.DescribeAsync(login));
        }

        using (var byCpf = await AuthTestData.LoginAsync(ApiSession.AnonymousClient(fixture), anaCpf, PasswordHasherTests.PortalVectorPassword))
        {
            Assert.True(byCpf.StatusCode == HttpStatusCode.OK, await AuthTestData.DescribeAsync(byCpf));
        }

        // Re-run: everything already present, nothing new.
        var again = await OldPortalFixtures.ImportAsync(fixture, "--from", source);
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal([7, 0, 2, 5, 0, 2, 0], OldPortalFixtures.ReportRow(again.Output, "users"));
        Assert.Equal([8, 0, 5, 3, 0, 5, 0], OldPortalFixtures.ReportRow(again.Output, "submissions"));
        Assert.Equal([6, 0, 5, 1, 0, 5, 0], OldPortalFixtures.ReportRow(again.Output, "automation_audits"));
        Assert.Equal([3, 0, 3, 0, 0, 3, 0], OldPortalFixtures.ReportRow(again.Output, "audit_events"));
        Assert.Equal(8L, await ScalarAsync<long>(fixture, importedAudits, ("label", label)));
    }
}
