using Agepar.Tests.Infrastructure;
using Npgsql;

namespace Agepar.Tests.Database;

/// <summary>
/// SECURITY DEFINER functions run with their owner's rights, so they must not resolve a name the caller can plant:
/// a caller with TEMP shadows a catalog table in its temporary schema and calls the function; nothing changes.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SecurityDefinerTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task A_temporary_pg_roles_does_not_change_what_maintain_audit_partitions_grants()
    {
        var month = new DateTime(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(3);
        var partition = $"audits_y{month:yyyy}m{month:MM}";
        var role = "shadow_" + Guid.NewGuid().ToString("N")[..8];
        var password = "Shadow-" + Guid.NewGuid().ToString("N");
        Assert.Equal(0L, await ScalarAsync<long>(fixture, $"SELECT count(*) FROM {partition}"));
        await ExecuteAsync(fixture, $"DROP TABLE {partition}");
        await ExecuteAsync(fixture, $"""
            CREATE ROLE {role} LOGIN PASSWORD '{password}';
            GRANT CONNECT, TEMPORARY ON DATABASE agepar TO {role};
            GRANT USAGE ON SCHEMA public TO {role};
            GRANT EXECUTE ON FUNCTION maintain_audit_partitions(integer) TO {role};
            """);
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(await fixture.GetConnectionStringAsync(DbRole.App)) { Username = role, Password = password };
            await using (var caller = new NpgsqlConnection(builder.ConnectionString))
            {
                await caller.OpenAsync();
                // An empty pg_roles in the caller's temp schema: with pg_temp searched first, the function would
                // believe agepar_user does not exist and create the partition without the application's grants.
                await Command(caller, "CREATE TEMPORARY TABLE pg_roles (rolname name)").ExecuteNonQueryAsync();
                await Command(caller, "CREATE TEMPORARY TABLE pg_class (oid oid, relowner oid)").ExecuteNonQueryAsync();
                await using var call = Command(caller, "SELECT array_agg(p) FROM maintain_audit_partitions(3) AS p");
                Assert.Contains(partition, (string[])(await call.ExecuteScalarAsync())!);
            }

            Assert.True(await ScalarAsync<bool>(fixture, "SELECT has_table_privilege('agepar_user', @p, 'INSERT')", ("p", partition)));
            Assert.True(await ScalarAsync<bool>(fixture, "SELECT has_table_privilege('agepar_user', @p, 'SELECT')", ("p", partition)));
            Assert.False(await ScalarAsync<bool>(fixture, "SELECT has_table_privilege('agepar_user', @p, 'UPDATE')", ("p", partition)));
            Assert.Equal("agepar_owner", await ScalarAsync<string>(fixture, "SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE oid = @p::regclass", ("p", partition)));
            Assert.Equal(0L, await ScalarAsync<long>(fixture, $"SELECT count(*) FROM pg_class WHERE relowner = '{role}'::regrole AND relpersistence <> 't'"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(fixture, $"REASSIGN OWNED BY {role} TO agepar_owner; DROP OWNED BY {role}; DROP ROLE {role};");
        }
    }

    [Fact]
    public async Task Every_security_definer_function_pins_its_search_path_with_pg_temp_last()
    {
        var unsafeFunctions = await ScalarAsync<string[]>(fixture, """
            SELECT coalesce(array_agg(p.oid::regprocedure::text), '{}')
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public' AND p.prosecdef
               AND NOT coalesce('search_path=pg_catalog, public, pg_temp' = ANY (p.proconfig), false)
            """);

        Assert.Empty(unsafeFunctions!);
        Assert.True(await ScalarAsync<long>(fixture, "SELECT count(*) FROM pg_proc WHERE prosecdef AND pronamespace = 'public'::regnamespace") >= 1);
    }
}
