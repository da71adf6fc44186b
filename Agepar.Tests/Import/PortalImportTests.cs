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
    private sealed record OldPortal(
        string Source, string Database, string Sfx, Guid Ana, Guid Bia, string AnaCpf, string AnaEmail, string BiaEmail, string LegacyRole,
        Guid Done, Guid Queued, Guid DfdDuplicate, Guid DfdDeleted, Guid Strange, Guid Orphan);

    [Fact]
    public async Task Imports_users_roles_and_submissions_into_the_live_database_reports_dirty_rows_and_the_user_signs_in_with_the_old_password()
    {
        var old = await SeedAsync(withAudits: false);
        var (anaEmail, biaEmail, ana, bia, anaCpf) = (old.AnaEmail, old.BiaEmail, old.Ana, old.Bia, old.AnaCpf);

        // Dry run: the full report, and nothing changed.
        var dry = await OldPortalFixtures.ImportAsync(fixture, "--from", old.Source, "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.Output);
        Assert.Contains("DRY RUN", dry.Output);
        Assert.Equal([7, 2, 0, 5, 0, 2, 0], OldPortalFixtures.ReportRow(dry.Output, "users"));
        Assert.Equal(0L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM users WHERE email IN (@a, @b)", ("a", anaEmail.ToLowerInvariant()), ("b", biaEmail)));
        Assert.Equal(0L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM roles WHERE name = @r", ("r", old.LegacyRole)));
        Assert.Equal(0L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM submissions WHERE id = @id", ("id", old.Done)));

        // Import (the live database has the audit chain; this source has no audit rows, so nothing is refused).
        var run = await OldPortalFixtures.ImportAsync(fixture, "--from", old.Source);
        output.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("VERIFIED", run.Output);
        Assert.Equal([7, 2, 0, 5, 0, 2, 0], OldPortalFixtures.ReportRow(run.Output, "users"));
        Assert.Equal([3, 1, 1, 1, 0, 2, 0], OldPortalFixtures.ReportRow(run.Output, "roles"));
        Assert.Equal([3, 2, 0, 1, 0, 2, 0], OldPortalFixtures.ReportRow(run.Output, "user_roles"));
        Assert.Equal([8, 5, 0, 3, 2, 5, 0], OldPortalFixtures.ReportRow(run.Output, "submissions"));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0], OldPortalFixtures.ReportRow(run.Output, "automation_audits"));
        foreach (var reason in new[] { "invalid CPF", "unknown status", "e-mail missing", "duplicate e-mail in the source", "invalid e-mail",
                     "duplicate protocolo", "actor not found", "role name does not match" })
        {
            Assert.Contains(reason, run.Output);
        }

        Assert.Contains("Files referenced on disk by imported submissions (not copied into the database): 2", run.Output);

        // Users: e-mail lower-cased, CPF digits, hash as it was, statuses kept; roles granted, the unknown one created.
        // The CPF is stored encrypted, with its blind index (docs/schema.md).
        Assert.Equal(anaCpf, TestDataKeys.Protector.Unprotect(
            (await ScalarAsync<byte[]>(fixture, "SELECT cpf_encrypted FROM users WHERE id = @id AND email = @e", ("id", ana), ("e", anaEmail.ToLowerInvariant())))!,
            TestDataKeys.Protector.Hmac(anaCpf)));
        Assert.Equal(Argon2Vectors.Portal, await ScalarAsync<string>(fixture, "SELECT password_hash FROM users WHERE id = @id", ("id", ana)));
        Assert.Equal("blocked", await ScalarAsync<string>(fixture, "SELECT status FROM users WHERE id = @id", ("id", bia)));
        Assert.Equal(0L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM users WHERE email = 'dev@local' OR email = @e", ("e", $"cpf.{old.Sfx}@agepar.test")));
        Assert.Equal(2L, await ScalarAsync<long>(fixture,
            "SELECT count(*) FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = @id AND r.name IN ('user', @r)", ("id", ana), ("r", old.LegacyRole)));

        // Submissions: ids kept (UUIDs), statuses mapped, actors resolved by CPF (formatted too) or e-mail.
        Assert.Equal("done", await ScalarAsync<string>(fixture, "SELECT status FROM submissions WHERE id = @id AND actor_user_id = @a AND actor_cpf_hmac = @c",
            ("id", old.Done), ("a", ana), ("c", TestDataKeys.Protector.Hmac(anaCpf))));
        Assert.Equal("error", await ScalarAsync<string>(fixture, "SELECT status FROM submissions WHERE actor_user_id = @b AND kind = 'ferias' AND error = 'boom'", ("b", bia)));
        Assert.StartsWith("Importada do portal anterior com status 'queued'", await ScalarAsync<string>(fixture,
            "SELECT error FROM submissions WHERE id = @id AND status = 'error'", ("id", old.Queued)));
        Assert.Equal("cancelled", await ScalarAsync<string>(fixture, "SELECT status FROM submissions WHERE id = @id", ("id", old.DfdDeleted)));
        Assert.Equal(0L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM submissions WHERE id = ANY(@ids)", ("ids", new[] { old.DfdDuplicate, old.Strange, old.Orphan })));

        // The imported user signs in through the BFF with the old portal's password, by e-mail and by CPF.
        using (var login = await AuthTestData.LoginAsync(ApiSession.AnonymousClient(fixture), anaEmail, Argon2Vectors.PortalPassword))
        {
            Assert.True(login.StatusCode == HttpStatusCode.OK, await AuthTestData.DescribeAsync(login));
        }

        using (var byCpf = await AuthTestData.LoginAsync(ApiSession.AnonymousClient(fixture), anaCpf, Argon2Vectors.PortalPassword))
        {
            Assert.True(byCpf.StatusCode == HttpStatusCode.OK, await AuthTestData.DescribeAsync(byCpf));
        }

        // Re-run: everything already present, nothing new.
        var again = await OldPortalFixtures.ImportAsync(fixture, "--from", old.Source);
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal([7, 0, 2, 5, 0, 2, 0], OldPortalFixtures.ReportRow(again.Output, "users"));
        Assert.Equal([3, 0, 2, 1, 0, 2, 0], OldPortalFixtures.ReportRow(again.Output, "roles"));
        Assert.Equal([3, 0, 2, 1, 0, 2, 0], OldPortalFixtures.ReportRow(again.Output, "user_roles"));
        Assert.Equal([8, 0, 5, 3, 0, 5, 0], OldPortalFixtures.ReportRow(again.Output, "submissions"));
    }

    [Fact]
    public async Task Imports_both_audit_logs_before_the_chain_starts_so_the_chain_takes_them_as_history()
    {
        var old = await SeedAsync(withAudits: true);
        var target = await OldPortalFixtures.CreateMigratedTargetAsync(fixture, OldPortalFixtures.BeforeAuditChain);
        var label = $"pg:{old.Database}";
        const string importedAudits = "SELECT count(*) FROM audits WHERE metadata->>'import_source' = @label";

        var dry = await OldPortalFixtures.ImportIntoAsync(fixture, target, "--from", old.Source, "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.Output);
        Assert.Equal(0L, await OldPortalFixtures.ScalarInAsync<long>(fixture, target, importedAudits, ("label", label)));
        Assert.Equal(0L, await OldPortalFixtures.ScalarInAsync<long>(fixture, target, "SELECT count(*) FROM pg_class WHERE relname = 'audits_y2019m03'"));

        var run = await OldPortalFixtures.ImportIntoAsync(fixture, target, "--from", old.Source);
        output.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([6, 5, 0, 1, 1, 5, 0], OldPortalFixtures.ReportRow(run.Output, "automation_audits"));
        Assert.Equal([3, 3, 0, 0, 1, 3, 0], OldPortalFixtures.ReportRow(run.Output, "audit_events"));
        Assert.Contains("action missing", run.Output);
        Assert.Contains("Audit partitions created: audits_y2019m03, audits_y2019m04", run.Output);

        // Original time, mapped action, original kept, partition of that month, object pointing at the submission.
        Assert.Equal(8L, await OldPortalFixtures.ScalarInAsync<long>(fixture, target, importedAudits, ("label", label)));
        Assert.Equal(1L, await OldPortalFixtures.ScalarInAsync<long>(fixture, target, """
            SELECT count(*) FROM audits_y2019m03 WHERE metadata->>'import_source' = @label AND action = 'submission.created'
               AND metadata->>'legacy_action' = 'submitted' AND occurred_at = '2019-03-10T09:00:00Z' AND object_type = 'submission'
               AND object_id = @sid AND actor_user_id = @ana
            """, ("label", label), ("sid", old.Done.ToString()), ("ana", old.Ana)));
        Assert.Equal("denied", await OldPortalFixtures.ScalarInAsync<string>(fixture, target,
            "SELECT outcome FROM audits WHERE metadata->>'import_source' = @label AND action = 'legacy.event' AND metadata->>'legacy_action' = 'download_denied'", ("label", label)));
        Assert.Equal(1L, await OldPortalFixtures.ScalarInAsync<long>(fixture, target, """
            SELECT count(*) FROM audits_y2019m04 WHERE metadata->>'import_source' = @label AND action = 'auth.login' AND actor_user_id = @ana
               AND ip = '10.0.0.1'::inet AND metadata->'legacy_meta'->>'remember' = 'true'
            """, ("label", label), ("ana", old.Ana)));
        Assert.Equal("agepar_owner", await OldPortalFixtures.ScalarInAsync<string>(fixture, target,
            "SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE relname = 'audits_y2019m03'"));

        // Then the rest of the migrations: AuditChain records the imported ids as the history before the chain.
        await OldPortalFixtures.MigrateAsync(fixture, target);
        Assert.True(await OldPortalFixtures.ScalarInAsync<bool>(fixture, target,
            "SELECT (SELECT max_audit_id FROM audit_chain_start) >= (SELECT max(id) FROM audits WHERE metadata ? 'import_source')"));

        // A re-run on the chained database finds every row present, writes nothing, so the chain guard has nothing to refuse.
        var again = await OldPortalFixtures.ImportIntoAsync(fixture, target, "--from", old.Source);
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal([6, 0, 5, 1, 0, 5, 0], OldPortalFixtures.ReportRow(again.Output, "automation_audits"));
        Assert.Equal([3, 0, 3, 0, 0, 3, 0], OldPortalFixtures.ReportRow(again.Output, "audit_events"));
        Assert.Equal([8, 0, 5, 3, 0, 5, 0], OldPortalFixtures.ReportRow(again.Output, "submissions"));
        Assert.Equal(8L, await OldPortalFixtures.ScalarInAsync<long>(fixture, target, importedAudits, ("label", label)));
    }

    private async Task<OldPortal> SeedAsync(bool withAudits)
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
            """,
            ("ana", ana), ("bia", bia), ("anaCpf", anaCpf), ("anaEmail", anaEmail), ("biaEmail", biaEmail), ("hash", Argon2Vectors.Portal),
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
            """,
            ("done", done.ToString()), ("legacyText", legacyText), ("queued", queued.ToString()), ("dfd", dfd.ToString()),
            ("dfdDuplicate", dfdDuplicate.ToString()), ("dfdDeleted", dfdDeleted.ToString()), ("strange", strange.ToString()),
            ("orphan", orphan.ToString()), ("anaCpf", anaCpf), ("anaCpfFormatted", $"{anaCpf[..3]}.{anaCpf[3..6]}.{anaCpf[6..9]}-{anaCpf[9..]}"),
            ("anaEmail", anaEmail), ("biaEmail", biaEmail), ("protocolo", protocolo), ("nobodyCpf", TestCpf.New()));

        if (withAudits)
        {
            await OldPortalFixtures.ExecuteAsync(source, """
            INSERT INTO audit_events (at, actor_user_id, action, object_type, object_id, message, metadata, ip, user_agent) VALUES
              ('2019-04-02T08:00:00Z', @ana, 'auth.login', 'user', @ana::text, NULL, '{"remember": true}', '10.0.0.1', 'Mozilla/5.0'),
              ('2019-04-03T08:00:00Z', (SELECT id FROM users WHERE cpf = '12345678900'), 'user.register', NULL, NULL, 'cadastro', '{}', NULL, NULL),
              ('2019-04-04T08:00:00Z', @ana, 'task_weekly_email', 'task_weekly_email', 'run', NULL, '{"runKey": "x"}', NULL, NULL);
            INSERT INTO automation_audits (at, actor_cpf, actor_nome, kind, action, meta) VALUES
              ('2019-03-10T09:00:00Z', @anaCpf, 'Ana Importada', 'form2json', 'submitted', jsonb_build_object('sid', @done::text)),
              ('2019-03-10T09:00:05Z', @anaCpf, 'Ana Importada', 'form2json', 'completed', jsonb_build_object('sid', @done::text)),
              ('2019-03-11T09:00:00Z', NULL, 'Bia Bloqueada', 'ferias', 'submitted', jsonb_build_object('sid', @legacyText)),
              ('2019-03-18T09:00:00Z', @anaCpf, 'Ana Importada', 'fileshare', 'download_denied', '{"filename": "a.pdf"}'),
              ('2019-03-19T09:00:00Z', 'abc', 'Sujo', 'fileshare', 'uploaded', NULL),
              ('2019-03-20T09:00:00Z', @anaCpf, 'Ana Importada', 'dfd', '', NULL);
            """,
                ("ana", ana), ("done", done.ToString()), ("legacyText", legacyText), ("anaCpf", anaCpf));
        }

        return new OldPortal(source, database, sfx, ana, bia, anaCpf, anaEmail, biaEmail, legacyRole, done, queued, dfdDuplicate, dfdDeleted, strange, orphan);
    }
}
