using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Agepar.Data.Protection;
using Agepar.Tests.Infrastructure;
using Npgsql;

namespace Agepar.Tests.Protection;

/// <summary>
/// <c>rotate-data-key</c> on a database of its own (the run's database keeps its key): re-encrypts every CPF while a
/// BFF configured with the new key and the previous one serves sign-ins by CPF, which all succeed.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DataKeyRotationTests(AgeparAppFixture fixture)
{
    private const int Users = 12;
    private const int AuditsPerUser = 15;

    [Fact]
    public async Task A_rotation_under_concurrent_sign_ins_loses_nothing_and_leaves_every_cpf_under_the_new_key()
    {
        var oldKey = TestDataKeys.EncryptionKey;
        var newKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var rotating = new CpfProtector(newKey, oldKey, TestDataKeys.IndexKey);
        var database = "agepar_rot_" + Guid.NewGuid().ToString("N")[..10];
        await using (var superuser = await TestSql.OpenAsync(fixture))
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {database} OWNER agepar_admin", superuser))
        {
            await create.ExecuteNonQueryAsync();
        }

        var migrate = await MigrationServiceRunner.RunAsync(await ServiceSettingsAsync(database));
        Assert.True(migrate.ExitCode == 0, migrate.Output);

        // Users (the portal's Argon2 vector as password) and their audits, all under the old key.
        var cpfs = Enumerable.Range(0, Users).Select(_ => TestCpf.New()).ToList();
        await using (var admin = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.Owner, database)))
        {
            await admin.OpenAsync();
            foreach (var cpf in cpfs)
            {
                var stored = TestDataKeys.Protector.Protect(cpf)!;
                await using var insert = new NpgsqlCommand("""
                    WITH u AS (
                        INSERT INTO users (email, name, cpf_encrypted, cpf_hmac, password_hash, status)
                        VALUES (@email, 'Rotação', @c, @h, @hash, 'active') RETURNING id),
                    r AS (INSERT INTO user_roles (user_id, role_id) SELECT u.id, roles.id FROM u, roles WHERE roles.name = 'user')
                    INSERT INTO audits (actor_user_id, actor_cpf_encrypted, actor_cpf_hmac, action, outcome)
                    SELECT u.id, @c, @h, 'auth.login', 'success' FROM u, generate_series(1, @n)
                    """, admin);
                insert.Parameters.AddWithValue("email", $"rot-{Guid.NewGuid():N}@agepar.test");
                insert.Parameters.AddWithValue("c", stored.Cipher);
                insert.Parameters.AddWithValue("h", stored.Hmac);
                insert.Parameters.AddWithValue("hash", Argon2Vectors.Portal);
                insert.Parameters.AddWithValue("n", AuditsPerUser);
                await insert.ExecuteNonQueryAsync();
            }
        }

        var appDatabase = new NpgsqlConnectionStringBuilder(await fixture.GetConnectionStringAsync(DbRole.App, database)) { Pooling = true };
        await using var bff = await BffProcess.StartAsync(fixture, new Dictionary<string, string>
        {
            ["ConnectionStrings__agepar"] = appDatabase.ConnectionString,
            ["PersonalData__EncryptionKey"] = newKey,
            ["PersonalData__PreviousEncryptionKey"] = oldKey,
            ["RateLimiting__AnonymousPermitLimit"] = "1000000",
        });

        // Sign-ins by CPF (and /api/me, which decrypts) run until the rotation is over, then a few more.
        using var stop = new CancellationTokenSource();
        var logins = Enumerable.Range(0, 3).Select(worker => Task.Run(async () =>
        {
            var results = new List<string>();
            var i = worker;
            while (!stop.IsCancellationRequested)
            {
                var cpf = cpfs[i++ % cpfs.Count];
                using var client = bff.CreateClient(BffProcess.NewLoopbackAddress(), new CookieContainer());
                using var login = await client.PostAsJsonAsync("/api/auth/login", new { identifier = cpf, password = Argon2Vectors.PortalPassword });
                var me = login.IsSuccessStatusCode ? await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/me") : default;
                results.Add(login.IsSuccessStatusCode && me.GetProperty("cpf").GetString() == cpf
                    ? "ok"
                    : $"{cpf}: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync()}");
            }

            return results;
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(1));
        var rotation = await MigrationServiceRunner.RunAsync(await ServiceSettingsAsync(database, newKey, oldKey, provisioning: false), "rotate-data-key", "--batch-size", "5", "--settle-seconds", "2");
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        var outcomes = (await Task.WhenAll(logins)).SelectMany(r => r).ToList();

        Assert.True(rotation.ExitCode == 0, rotation.Output);
        Assert.Contains("re-encrypted", rotation.Output);
        Assert.NotEmpty(outcomes);
        Assert.All(outcomes, outcome => Assert.Equal("ok", outcome));

        // Every ciphertext is under the new key, the blind indexes are untouched, and the state names the new key.
        var newKeyId = new byte[CpfProtector.KeyIdSize];
        BinaryPrimitives.WriteInt32BigEndian(newKeyId, rotating.CurrentKeyId);
        await using (var admin = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.Owner, database)))
        {
            await admin.OpenAsync();
            await using var check = new NpgsqlCommand("""
                SELECT (SELECT count(*) FROM users WHERE substring(cpf_encrypted FROM 2 FOR 4) <> @k)
                     + (SELECT count(*) FROM audits WHERE actor_cpf_encrypted IS NOT NULL AND substring(actor_cpf_encrypted FROM 2 FOR 4) <> @k)
                     + (SELECT count(*) FROM submissions WHERE actor_cpf_encrypted IS NOT NULL AND substring(actor_cpf_encrypted FROM 2 FOR 4) <> @k),
                       (SELECT count(*) FROM audits WHERE action = 'auth.login' AND actor_cpf_hmac IS NOT NULL),
                       (SELECT key_id FROM data_key_state)
                """, admin);
            check.Parameters.AddWithValue("k", newKeyId);
            await using var reader = await check.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(0L, reader.GetInt64(0));
            Assert.True(reader.GetInt64(1) >= Users * AuditsPerUser);
            Assert.Equal(rotating.CurrentKeyId, reader.GetInt32(2));
        }

        // Now the new key alone is the database's key; the old one alone is refused.
        var newOnly = await MigrationServiceRunner.RunAsync(await ServiceSettingsAsync(database, newKey, null, provisioning: false));
        Assert.True(newOnly.ExitCode == 0, newOnly.Output);
        var oldOnly = await MigrationServiceRunner.RunAsync(await ServiceSettingsAsync(database, oldKey, null, provisioning: false));
        Assert.True(oldOnly.ExitCode == 1, oldOnly.Output);
    }

    private async Task<Dictionary<string, string>> ServiceSettingsAsync(
        string database, string? key = null, string? previousKey = null, bool provisioning = true)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__agepar-admin"] = await fixture.GetConnectionStringAsync(DbRole.Admin, database),
        };
        if (provisioning)
        {
            // Roles and grants for this database too (the app role's default privileges are per database).
            settings["ConnectionStrings__agepar-provisioning"] = await fixture.GetConnectionStringAsync(DbRole.Superuser, database);
            settings["Provisioning__AdminPassword"] = fixture.Parameters["agepar-admin-password"];
            settings["Provisioning__AppUserPassword"] = fixture.Parameters["agepar-user-password"];
            settings["Provisioning__MonitorPassword"] = fixture.Parameters["agepar-monitor-password"];
            settings["Provisioning__BackupPassword"] = fixture.Parameters["agepar-backup-password"];
        }

        if (key is not null)
        {
            settings["PersonalData__EncryptionKey"] = key;
        }

        if (previousKey is not null)
        {
            settings["PersonalData__PreviousEncryptionKey"] = previousKey;
        }

        return settings;
    }
}
