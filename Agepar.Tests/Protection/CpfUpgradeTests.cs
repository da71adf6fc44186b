using System.Security.Cryptography;
using Agepar.Data.Audits;
using Agepar.Tests.Import;
using Agepar.Tests.Infrastructure;
using Npgsql;

namespace Agepar.Tests.Protection;

/// <summary>
/// The upgrade of a database that holds clear CPFs and a sealed audit chain (docs/schema.md, "Encrypted CPFs",
/// "Existing rows"): the migration service encrypts them, hashes the typed sign-in CPFs, re-seals the chain under
/// encoding 2 with the old head → new head on record, then drops the clear columns.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CpfUpgradeTests(AgeparAppFixture fixture)
{
    private const string BeforeEncryptedCpf = "20261204190440_SecurityDefinerSearchPath";

    [Fact]
    public async Task Clear_cpfs_are_encrypted_and_the_sealed_chain_is_resealed_and_stays_verifiable()
    {
        var database = await OldPortalFixtures.CreateMigratedTargetAsync(fixture, BeforeEncryptedCpf);
        var (ana, bia) = (TestCpf.New(), TestCpf.New());
        var fakeHead = RandomNumberGenerator.GetBytes(32);
        await using (var admin = await OpenAsync(database))
        {
            // Rows as the previous version wrote them, and three seals (their encoding-1 links are only overwritten,
            // so any 32 bytes stand for them).
            await using var seed = TestSql.Command(admin, """
                WITH u AS (INSERT INTO users (email, name, cpf) VALUES (@e1, 'Ana', @ana), (@e2, 'Bia', @bia) RETURNING id, cpf),
                s AS (INSERT INTO submissions (kind, kind_version, actor_user_id, actor_cpf, payload)
                      SELECT 'form2json', '1.0.0', id, cpf, '{}' FROM u),
                a AS (INSERT INTO audits (actor_user_id, actor_cpf, action, outcome, metadata)
                      SELECT id, cpf, 'auth.login', 'success', '{}' FROM u
                      UNION ALL
                      SELECT NULL, NULL, 'auth.login_failed', 'failure',
                             jsonb_build_object('reason', 'not_found', 'identifier', @bia::text, 'identifierType', 'cpf')
                      RETURNING id, occurred_at)
                INSERT INTO audit_seals (seq, audit_id, occurred_at, sealed_at, link)
                SELECT row_number() OVER (ORDER BY id), id, occurred_at, now(),
                       CASE WHEN row_number() OVER (ORDER BY id) = 3 THEN @head ELSE gen_random_bytes(32) END
                  FROM a;
                INSERT INTO login_attempts (identifier, success, reason) VALUES (@bia, false, 'not_found');
                """,
                ("e1", $"up-{Guid.NewGuid():N}@agepar.test"), ("e2", $"up-{Guid.NewGuid():N}@agepar.test"),
                ("ana", ana), ("bia", bia), ("head", fakeHead));
            await seed.ExecuteNonQueryAsync();
        }

        await OldPortalFixtures.MigrateAsync(fixture, database);

        await using (var admin = await OpenAsync(database))
        {
            Assert.Equal(0L, await ScalarAsync<long>(admin, """
                SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND column_name IN ('cpf', 'actor_cpf')
                """));
            var protector = TestDataKeys.Protector;
            foreach (var cpf in new[] { ana, bia })
            {
                var hmac = protector.Hmac(cpf);
                Assert.Equal(cpf, protector.Unprotect((await ScalarAsync<byte[]>(admin, "SELECT cpf_encrypted FROM users WHERE cpf_hmac = @h", ("h", hmac)))!, hmac));
                Assert.Equal(1L, await ScalarAsync<long>(admin, "SELECT count(*) FROM submissions WHERE actor_cpf_hmac = @h AND actor_cpf_encrypted IS NOT NULL", ("h", hmac)));
                Assert.Equal(1L, await ScalarAsync<long>(admin, "SELECT count(*) FROM audits WHERE actor_cpf_hmac = @h AND actor_cpf_encrypted IS NOT NULL", ("h", hmac)));
            }

            Assert.Equal(protector.HmacText(bia), await ScalarAsync<string>(admin, "SELECT identifier FROM login_attempts"));
            Assert.Equal(protector.HmacText(bia), await ScalarAsync<string>(admin, "SELECT metadata->>'identifier' FROM audits WHERE action = 'auth.login_failed'"));

            // Every link recomputes under encoding 2 from its row, and the re-seal names the old head and the new one.
            byte[] previous = AuditChainEncoding.Genesis();
            var seals = 0;
            await using (var read = TestSql.Command(admin, $"""
                SELECT s.link, s.sealed_at, {AuditChainEncoding.CanonicalColumns}
                  FROM audit_seals s JOIN audits a ON a.id = s.audit_id ORDER BY s.seq
                """))
            await using (var reader = await read.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    var expected = AuditChainEncoding.Link(previous, AuditChainEncoding.ReadFields(reader), reader.GetDateTime(1));
                    Assert.Equal(expected, reader.GetFieldValue<byte[]>(0));
                    previous = expected;
                    seals++;
                }
            }

            Assert.Equal(3, seals);
            await using (var reseal = TestSql.Command(admin, "SELECT encoding_version, seal_count, old_head_seq, old_head_link, new_head_link FROM audit_chain_reseals"))
            await using (var reader = await reseal.ExecuteReaderAsync())
            {
                Assert.True(await reader.ReadAsync());
                Assert.Equal((2, 3L, 3L), (reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2)));
                Assert.Equal(fakeHead, reader.GetFieldValue<byte[]>(3));
                Assert.Equal(previous, reader.GetFieldValue<byte[]>(4));
                Assert.False(await reader.ReadAsync());
            }
        }

        // A second run finds nothing to do.
        await OldPortalFixtures.MigrateAsync(fixture, database);
        Assert.Equal(1L, await OldPortalFixtures.ScalarInAsync<long>(fixture, database, "SELECT count(*) FROM audit_chain_reseals"));
    }

    private async Task<NpgsqlConnection> OpenAsync(string database)
    {
        var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.Owner, database));
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = TestSql.Command(connection, sql, parameters);
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }
}
