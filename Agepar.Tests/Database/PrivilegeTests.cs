using Agepar.Tests.Infrastructure;
using Npgsql;

namespace Agepar.Tests.Database;

/// <summary>Least privilege, proven against the real server: what agepar_user, agepar_admin and the owner role may and may not do.</summary>
[Collection(AppCollection.Name)]
public sealed class PrivilegeTests(AgeparAppFixture fixture)
{
    [Theory]
    [InlineData("CREATE TABLE intruder (id int)")]
    [InlineData("DROP TABLE users")]
    [InlineData("ALTER TABLE users ADD COLUMN intruder int")]
    [InlineData("TRUNCATE login_attempts")]
    [InlineData("CREATE INDEX ix_intruder ON users (name)")]
    [InlineData("UPDATE audits SET action = 'auth.logout'")]
    [InlineData("DELETE FROM audits")]
    [InlineData("CREATE EXTENSION IF NOT EXISTS hstore")]
    public async Task App_role_is_refused_ddl_and_audit_changes(string sql)
    {
        await using var connection = await OpenAsync(DbRole.App);

        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task App_role_cannot_grant_anything()
    {
        await using var connection = await OpenAsync(DbRole.App);

        // PostgreSQL answers a GRANT without grant option with a warning, not an error: what matters is the effect.
        await ExecuteAsync(connection, "GRANT SELECT ON users TO PUBLIC");
        await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, "GRANT agepar_admin TO agepar_user"));

        Assert.False(await ScalarAsync<bool>(connection, "SELECT has_table_privilege('public', 'users', 'SELECT')"));
        Assert.False(await ScalarAsync<bool>(connection, "SELECT pg_has_role('agepar_user', 'agepar_admin', 'MEMBER')"));
    }

    [Fact]
    public async Task App_role_can_insert_and_read_audits_and_use_app_tables()
    {
        await using var connection = await OpenAsync(DbRole.App);
        var marker = Guid.NewGuid().ToString("N");

        await ExecuteAsync(connection,
            $"INSERT INTO audits (action, outcome, object_type, object_id) VALUES ('auth.login', 'success', 'test', '{marker}')");
        var count = await ScalarAsync<long>(connection, $"SELECT count(*) FROM audits WHERE object_id = '{marker}'");

        Assert.Equal(1, count);
        Assert.Equal(0L, await ScalarAsync<long>(connection, "SELECT count(*) FROM users WHERE email = 'nobody@example.invalid'"));
    }

    [Fact]
    public async Task The_owner_cannot_update_or_delete_audits_either()
    {
        await using var connection = await OpenAsync(DbRole.Owner);
        await ExecuteAsync(connection, "INSERT INTO audits (action, outcome) VALUES ('auth.login', 'success')");

        var update = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, "UPDATE audits SET outcome = 'failure'"));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, "DELETE FROM audits"));

        Assert.Contains("append-only", update.MessageText);
        Assert.Contains("append-only", delete.MessageText);
    }

    /// <summary>
    /// agepar_admin logs in NOINHERIT: membership of agepar_owner is only the right to SET ROLE to it. Without that
    /// explicit step its password reaches nothing in the schema: no row, no DDL, no escape hatch, no retention.
    /// </summary>
    [Theory]
    [InlineData("INSERT INTO public.audits (action, outcome) VALUES ('auth.login', 'success')")]
    [InlineData("BEGIN; SET LOCAL agepar.audit_maintenance = 'on'; DELETE FROM public.audits WHERE action = 'auth.login_failed'; COMMIT")]
    [InlineData("UPDATE public.audits SET outcome = 'failure'")]
    [InlineData("TRUNCATE public.audit_seals")]
    [InlineData("DROP TABLE public.audit_seals")]
    [InlineData("DROP TABLE public.audits CASCADE")]
    [InlineData("ALTER TABLE public.audits DISABLE TRIGGER audits_append_only")]
    [InlineData("CREATE TABLE public.intruder (id int)")]
    [InlineData("SELECT public.drop_audit_partitions_older_than('2100-01-01')")]
    [InlineData("DROP FUNCTION public.maintain_audit_partitions(integer)")]
    [InlineData("SELECT count(*) FROM public.users")]
    public async Task Admin_without_set_role_is_refused_everything_in_the_schema(string sql)
    {
        await using var connection = await OpenAsync(DbRole.Admin);

        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task The_owner_role_cannot_log_in_and_gives_the_admin_login_nothing_implicitly()
    {
        await using var superuser = await OpenAsync(DbRole.Superuser);
        Assert.Equal("f/f/t", await ScalarAsync<string>(superuser, """
            SELECT o.rolcanlogin::text::char || '/' || a.rolinherit::text::char || '/' || (o.rolpassword IS NULL)::text::char
              FROM pg_authid o, pg_authid a WHERE o.rolname = 'agepar_owner' AND a.rolname = 'agepar_admin'
            """));
        Assert.True(await ScalarAsync<bool>(superuser, "SELECT pg_has_role('agepar_admin', 'agepar_owner', 'MEMBER')"));
        Assert.False(await ScalarAsync<bool>(superuser, "SELECT pg_has_role('agepar_admin', 'agepar_owner', 'USAGE')"));
        foreach (var role in new[] { "agepar_user", "agepar_backup", "agepar_monitor" })
        {
            Assert.False(await ScalarAsync<bool>(superuser, $"SELECT pg_has_role('{role}', 'agepar_owner', 'MEMBER')"), role);
        }

        var asOwner = new NpgsqlConnectionStringBuilder(await fixture.GetConnectionStringAsync(DbRole.Admin)) { Username = "agepar_owner" };
        await using var login = new NpgsqlConnection(asOwner.ConnectionString);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => login.OpenAsync());
        // NOLOGIN without a password: the server refuses before or at authentication.
        Assert.Contains(refused.SqlState, new[] { PostgresErrorCodes.InvalidAuthorizationSpecification, PostgresErrorCodes.InvalidPassword });
    }

    [Fact]
    public async Task Service_roles_hold_no_extra_power_and_the_bff_connects_as_the_app_role()
    {
        await using var connection = await OpenAsync(DbRole.Superuser);

        var rolesWithPower = await ScalarAsync<long>(connection,
            "SELECT count(*) FROM pg_roles WHERE rolname IN ('agepar_user','agepar_admin','agepar_owner') AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication)");
        var appOwnsNothing = await ScalarAsync<long>(connection,
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = 'agepar_user'");
        var bffAsSuperuser = await ScalarAsync<long>(connection,
            "SELECT count(*) FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename WHERE a.application_name = 'Agepar.Bff' AND r.rolsuper");
        var bffAsApp = await ScalarAsync<long>(connection,
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'Agepar.Bff' AND usename = 'agepar_user'");

        Assert.Equal(0, rolesWithPower);
        Assert.Equal(0, appOwnsNothing);
        Assert.Equal(0, bffAsSuperuser);
        Assert.True(bffAsApp > 0, "the BFF should hold pooled connections as agepar_user");
    }

    private async Task<NpgsqlConnection> OpenAsync(DbRole role)
    {
        var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(role));
        await connection.OpenAsync();
        return connection;
    }

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    internal static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
