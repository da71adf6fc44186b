using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agepar.Data.Auth;
using Agepar.Tests.Auth;
using Agepar.Tests.Infrastructure;
using static Agepar.Tests.Automations.AutomationTestData;

namespace Agepar.Tests.Protection;

/// <summary>
/// Encrypted CPFs (docs/schema.md, "Encrypted CPFs"): nothing in the database, or in a dump of it, holds a CPF in
/// clear; sign-in, uniqueness and the panel filter work by blind index; administrators read CPFs in clear and the
/// other panel roles masked; wrong keys stop the services at startup.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CpfEncryptionTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task A_pg_dump_of_a_database_holding_known_cpfs_contains_none_of_them_in_clear()
    {
        // A CPF in every place one is written: users, a login (audits), a submission (submissions and its audits),
        // a failed login by an unknown CPF (login_attempts and the auth.login_failed audit).
        var (id, _, password, cpf) = await ApiSession.CreateUserAccountAsync(fixture, ["automations.form2json"]);
        using var user = await ApiSession.LoginAsync(fixture, Cpf.Format(cpf), password);
        var submission = await SubmitAcceptedAsync(user.Client, "form2json", Form2JsonBody());
        var unknown = TestCpf.New();
        using (var anonymous = ApiSession.AnonymousClient(fixture))
        using (var refused = await AuthTestData.LoginAsync(anonymous, unknown, "Wrong-password-1"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // Stored as ciphertext + blind index, nowhere else.
        var hmac = TestDataKeys.Protector.Hmac(cpf);
        Assert.Equal(cpf, TestDataKeys.Protector.Unprotect(
            (await ScalarAsync<byte[]>(fixture, "SELECT cpf_encrypted FROM users WHERE id = @id AND cpf_hmac = @h", ("id", id), ("h", hmac)))!, hmac));
        Assert.Equal(1L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM submissions WHERE id = @id AND actor_cpf_hmac = @h", ("id", submission), ("h", hmac)));
        Assert.True(await ScalarAsync<long>(fixture, "SELECT count(*) FROM audits WHERE actor_user_id = @id AND actor_cpf_hmac = @h", ("id", id), ("h", hmac)) >= 2);
        Assert.Equal(1L, await ScalarAsync<long>(fixture,
            "SELECT count(*) FROM login_attempts WHERE identifier = @i", ("i", TestDataKeys.Protector.HmacText(unknown))));
        Assert.Equal(0L, await ScalarAsync<long>(fixture, """
            SELECT count(*) FROM information_schema.columns
             WHERE table_schema = 'public' AND column_name IN ('cpf', 'actor_cpf')
            """));

        var postgres = await fixture.ContainerIdAsync("postgres");
        var (exitCode, dump) = await ProcessRunner.RunAsync(
            ContainerEngine.Name, ["exec", "-e", "PGPASSWORD=" + fixture.Parameters["postgres-password"], postgres, "pg_dump", "-h", "127.0.0.1", "-U", "postgres", "--no-owner", "agepar"], Path.GetTempPath(), _ => { });
        Assert.True(exitCode == 0, dump[..Math.Min(dump.Length, 2000)]);
        Assert.Contains("cpf_encrypted", dump);
        foreach (var clear in new[] { cpf, Cpf.Format(cpf), unknown, Cpf.Format(unknown) })
        {
            Assert.DoesNotContain(clear, dump);
        }
    }

    [Fact]
    public async Task Sign_in_uniqueness_and_the_panel_actor_filter_work_by_blind_index()
    {
        var (id, email, password, cpf) = await ApiSession.CreateUserAccountAsync(fixture, []);
        foreach (var identifier in new[] { cpf, Cpf.Format(cpf) })
        {
            using var session = await ApiSession.LoginAsync(fixture, identifier, password);
            Assert.Equal(id, session.UserId);
        }

        // The same CPF, formatted or not, for another user: 409 cpf_taken, on create and on update.
        using var taken = await ApiSession.AsSharedAdminAsync(fixture, admin => admin.Client.PostAsJsonAsync("/api/admin/users", new
        {
            name = "Outra Pessoa",
            email = AuthTestData.UniqueEmail("dup-cpf"),
            cpf = Cpf.Format(cpf),
            roles = new[] { "user" },
            password = ApiSession.NewPassword(),
        }));
        Assert.True(taken.StatusCode == HttpStatusCode.Conflict, await AuthTestData.DescribeAsync(taken));
        Assert.Contains("cpf_taken", await taken.Content.ReadAsStringAsync());
        var (other, _, _, _) = await ApiSession.CreateUserAccountAsync(fixture, []);
        using var takenOnUpdate = await ApiSession.AsSharedAdminAsync(fixture, admin => admin.Client.PutAsJsonAsync($"/api/admin/users/{other}", new { cpf }));
        Assert.True(takenOnUpdate.StatusCode == HttpStatusCode.Conflict, await AuthTestData.DescribeAsync(takenOnUpdate));

        // The admin search finds a whole CPF.
        using var search = await ApiSession.AsSharedAdminAsync(fixture, admin => admin.Client.GetAsync($"/api/admin/users?q={Cpf.Format(cpf)}"));
        var found = await AuthTestData.JsonAsync(search);
        Assert.Equal(email, Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("email").GetString());

        // The panel's actor filter by CPF (either form) finds the user's login audits.
        using var auditor = await ApiSession.CreateUserAsync(fixture, "auditor");
        foreach (var actor in new[] { cpf, Cpf.Format(cpf) })
        {
            var page = await AuthTestData.JsonAsync(await auditor.Client.GetAsync($"/api/control/audits?action=auth.login&actor={actor}"));
            Assert.Equal(2, page.GetProperty("items").GetArrayLength());
            Assert.All(page.GetProperty("items").EnumerateArray(), item => Assert.Equal(id, item.GetProperty("actor").GetProperty("userId").GetGuid()));
        }
    }

    [Fact]
    public async Task Administrators_and_the_user_read_the_cpf_in_clear_other_panel_readers_masked()
    {
        var (id, _, password, cpf) = await ApiSession.CreateUserAccountAsync(fixture, []);
        using var user = await ApiSession.LoginAsync(fixture, cpf, password);
        var masked = $"***.{cpf[3..6]}.{cpf[6..9]}-**";

        var me = await AuthTestData.JsonAsync(await user.Client.GetAsync("/api/me"));
        Assert.Equal(cpf, me.GetProperty("cpf").GetString());

        using var admin = await ApiSession.AdminAsync(fixture);
        var view = await AuthTestData.JsonAsync(await admin.Client.GetAsync($"/api/admin/users/{id}"));
        Assert.Equal(cpf, view.GetProperty("cpf").GetString());

        using var auditor = await ApiSession.CreateUserAsync(fixture, "auditor");
        var url = $"/api/control/audits?action=auth.login&actor={id}";
        Assert.Equal(cpf, ActorCpf(await AuthTestData.JsonAsync(await admin.Client.GetAsync(url))));
        Assert.Equal(masked, ActorCpf(await AuthTestData.JsonAsync(await auditor.Client.GetAsync(url))));

        var adminCsv = await admin.Client.GetStringAsync($"/api/control/audits.csv?action=auth.login&actor={id}");
        var auditorCsv = await auditor.Client.GetStringAsync($"/api/control/audits.csv?action=auth.login&actor={id}");
        Assert.Contains(cpf, adminCsv);
        Assert.Contains(masked, auditorCsv);
        Assert.DoesNotContain(cpf, auditorCsv);
        Assert.DoesNotContain(Cpf.Format(cpf), auditorCsv);

        static string? ActorCpf(JsonElement page) =>
            page.GetProperty("items")[0].GetProperty("actor").GetProperty("cpf").GetString();
    }

    [Fact]
    public async Task A_wrong_or_missing_key_stops_the_migration_service_and_the_bff_at_startup_and_changes_nothing()
    {
        var admin = await fixture.GetConnectionStringAsync(DbRole.Admin);
        var otherKey = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var stateBefore = await ScalarAsync<string>(fixture, "SELECT key_id::text || updated_at::text FROM data_key_state");

        var wrongKey = await MigrationServiceRunner.RunAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__agepar-admin"] = admin,
            ["PersonalData__EncryptionKey"] = otherKey,
        });
        Assert.True(wrongKey.ExitCode == 1, wrongKey.Output);
        Assert.Contains("is not this database's data key", wrongKey.Output);
        Assert.DoesNotContain(otherKey, wrongKey.Output);

        var wrongIndex = await MigrationServiceRunner.RunAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__agepar-admin"] = admin,
            ["PersonalData__IndexKey"] = otherKey,
        });
        Assert.True(wrongIndex.ExitCode == 1, wrongIndex.Output);
        Assert.Contains("data-index-key is not the key", wrongIndex.Output);

        var missing = await MigrationServiceRunner.RunAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__agepar-admin"] = admin,
            ["PersonalData__EncryptionKey"] = "",
        });
        Assert.True(missing.ExitCode == 1, missing.Output);
        Assert.Contains("PersonalData__EncryptionKey", missing.Output);

        var bff = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            BffProcess.StartAsync(fixture, new Dictionary<string, string> { ["PersonalData__EncryptionKey"] = otherKey }));
        Assert.Contains("CPF keys REFUSED at startup", bff.Message);
        Assert.DoesNotContain(otherKey, bff.Message);

        Assert.Equal(stateBefore, await ScalarAsync<string>(fixture, "SELECT key_id::text || updated_at::text FROM data_key_state"));
    }
}
