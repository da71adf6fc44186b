using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Database;

/// <summary>
/// Issue 9: the schema belongs to the NOLOGIN role agepar_owner, so the SECURITY DEFINER functions the BFF calls run
/// as a role nobody can sign in as, and agepar_admin (the migration service's login) owns nothing. The denials of a
/// plain agepar_admin session are in <see cref="PrivilegeTests"/>; fresh and upgraded databases in <see cref="MigrationServiceTests"/>.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class OwnerRoleTests(AgeparAppFixture fixture)
{
    /// <summary>
    /// Objects of the current database that agepar_owner does not own: the database, schema public, every table,
    /// partition, sequence and view in it and every function (extension members excepted: their owner is the extension's).
    /// </summary>
    internal const string NotOwnedByOwnerSql = """
        SELECT coalesce(array_agg(o ORDER BY o), '{}') FROM (
            SELECT c.oid::regclass::text AS o FROM pg_class c
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f')
               AND c.relowner <> 'agepar_owner'::regrole
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            UNION ALL
            SELECT p.oid::regprocedure::text FROM pg_proc p
             WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> 'agepar_owner'::regrole
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
            UNION ALL
            SELECT 'schema public' FROM pg_namespace WHERE nspname = 'public' AND nspowner <> 'agepar_owner'::regrole
            UNION ALL
            SELECT 'database ' || datname FROM pg_database WHERE datname = current_database() AND datdba <> 'agepar_owner'::regrole
        ) x
        """;

    /// <summary>How many objects of the current database agepar_admin owns (pg_shdepend: every kind of object).</summary>
    internal const string OwnedByAdminSql = """
        SELECT count(*) FROM pg_shdepend
         WHERE refobjid = 'agepar_admin'::regrole AND deptype = 'o'
           AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        """;

    [Fact]
    public async Task Every_object_of_the_schema_is_owned_by_agepar_owner_and_agepar_admin_owns_nothing()
    {
        Assert.Empty((await ScalarAsync<string[]>(fixture, NotOwnedByOwnerSql))!);
        Assert.Equal(0L, await ScalarAsync<long>(fixture, OwnedByAdminSql));
        Assert.True(await ScalarAsync<long>(fixture,
            "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND relowner = 'agepar_owner'::regrole") >= 10);
    }

    [Fact]
    public async Task Every_security_definer_function_is_owned_by_a_role_that_cannot_log_in()
    {
        var owners = await ScalarAsync<string[]>(fixture, """
            SELECT array_agg(DISTINCT r.rolname::text || ':' || r.rolcanlogin::text)
              FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner
             WHERE p.prosecdef AND p.pronamespace = 'public'::regnamespace
            """);

        Assert.Equal(["agepar_owner:false"], owners!);
    }
}
