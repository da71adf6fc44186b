using System.Net;
using Agepar.Tests.Infrastructure;
using Npgsql;
using static Agepar.Tests.Automations.AutomationTestData;

namespace Agepar.Tests.Database;

/// <summary>
/// The BFF's database maintenance (POST /api/admin/maintenance/run, and the same job on a timer): audit partitions are
/// kept ahead through the SECURITY DEFINER wrapper, expired sessions and old login attempts are deleted, recent ones kept.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class MaintenanceTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task A_missing_future_partition_is_created_by_the_app_role_and_audited()
    {
        var month = new DateTime(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(3);
        var partition = $"audits_y{month:yyyy}m{month:MM}";
        Assert.Equal(0L, await ScalarAsync<long>(fixture, $"SELECT count(*) FROM {partition}"));
        await ExecuteAsync(fixture, $"DROP TABLE {partition}");

        using var admin = await ApiSession.AdminAsync(fixture);
        using var response = await admin.Client.PostAsync("/api/admin/maintenance/run", null);
        var report = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(partition, report.GetProperty("partitionsCreated").EnumerateArray().Select(p => p.GetString()));
        Assert.Empty(report.GetProperty("errors").EnumerateArray());
        // Created through the SECURITY DEFINER function, so owned by its owner: the NOLOGIN agepar_owner.
        Assert.Equal("agepar_owner", await ScalarAsync<string>(fixture, "SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE oid = @p::regclass", ("p", partition)));
        Assert.True(await ScalarAsync<bool>(fixture, "SELECT has_table_privilege('agepar_user', @p, 'INSERT')", ("p", partition)));
        Assert.False(await ScalarAsync<bool>(fixture, "SELECT has_table_privilege('agepar_user', @p, 'UPDATE')", ("p", partition)));
        Assert.Equal(admin.UserId, await ScalarAsync<Guid>(fixture, """
            SELECT actor_user_id FROM audits
             WHERE action = 'system.partitions_created' AND metadata->>'by' = 'maintenance' AND metadata->'items' ? @p
             ORDER BY id DESC LIMIT 1
            """, ("p", partition)));
    }

    [Fact]
    public async Task Expired_sessions_and_old_login_attempts_are_deleted_and_recent_ones_kept()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "user");
        var identifier = $"retencao-{Guid.NewGuid():N}@agepar.test";
        var oldSession = await InsertSessionAsync(user.UserId, "now() - interval '31 days'");
        var recentlyExpired = await InsertSessionAsync(user.UserId, "now() - interval '1 day'");
        await ExecuteAsync(fixture, """
            INSERT INTO login_attempts (identifier, success, reason, at) VALUES
                (@i, false, 'bad_credentials', now() - interval '91 days'),
                (@i, false, 'bad_credentials', now() - interval '1 day')
            """, ("i", identifier));

        using var admin = await ApiSession.AdminAsync(fixture);
        using var response = await admin.Client.PostAsync("/api/admin/maintenance/run", null);
        var report = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(report.GetProperty("sessionsDeleted").GetInt64() >= 1);
        Assert.True(report.GetProperty("loginAttemptsDeleted").GetInt64() >= 1);
        Assert.Equal(0L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM sessions WHERE id = @id", ("id", oldSession)));
        Assert.Equal(1L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM sessions WHERE id = @id", ("id", recentlyExpired)));
        Assert.Equal(1L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM login_attempts WHERE identifier = @i", ("i", identifier)));
        // The user's live session (from signing in) is untouched.
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Only_admins_may_run_it()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "user");
        using var anonymous = fixture.CreateBffClient();

        using var asUser = await user.Client.PostAsync("/api/admin/maintenance/run", null);
        using var asAnonymous = await anonymous.PostAsync("/api/admin/maintenance/run", null);

        Assert.Equal(HttpStatusCode.Forbidden, asUser.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, asAnonymous.StatusCode);
    }

    [Fact]
    public async Task The_app_role_may_run_the_wrapper_within_bounds_but_not_the_ddl_function()
    {
        await using var connection = await OpenAsync(fixture, DbRole.App);

        await using (var ok = Command(connection, "SELECT count(*) FROM maintain_audit_partitions(1)"))
        {
            Assert.Equal(0L, await ok.ExecuteScalarAsync()); // current and next month exist already
        }

        await using var tooFar = Command(connection, "SELECT count(*) FROM maintain_audit_partitions(13)");
        Assert.Equal(PostgresErrorCodes.InvalidParameterValue, (await Assert.ThrowsAsync<PostgresException>(() => tooFar.ExecuteScalarAsync())).SqlState);
        await using var direct = Command(connection, "SELECT count(*) FROM ensure_audit_partitions(1)");
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => direct.ExecuteScalarAsync())).SqlState);
    }

    private Task<Guid> InsertSessionAsync(Guid userId, string expiresAtSql) =>
        ScalarAsync<Guid>(fixture, $"""
            INSERT INTO sessions (user_id, token_hash, created_at, last_seen_at, expires_at, remember_me)
            VALUES (@u, gen_random_bytes(32), now() - interval '40 days', now() - interval '40 days', {expiresAtSql}, false)
            RETURNING id
            """, ("u", userId));
}
