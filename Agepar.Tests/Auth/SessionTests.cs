using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agepar.Bff.Auth;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Auth;

/// <summary>
/// Roles and status come from the database on every request (through the Redis cache, invalidated on change): a
/// block, a revoke or a role removal applies on the very next request of an existing session.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SessionTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task Blocking_a_user_refuses_their_open_session_on_the_next_request_and_login_is_403()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "compras");
        using (var before = await user.Client.GetAsync("/api/me"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode); // the session is now in the Redis cache
        }

        using var admin = await ApiSession.AdminAsync(fixture);
        using (var block = await admin.Client.PostAsync($"/api/admin/users/{user.UserId}/block", null))
        {
            Assert.True(block.IsSuccessStatusCode, await AuthTestData.DescribeAsync(block));
            Assert.Equal("blocked", (await AuthTestData.JsonAsync(block)).GetProperty("status").GetString());
        }

        using var after = await user.Client.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("unauthenticated", (await AuthTestData.JsonAsync(after)).GetProperty("code").GetString());

        using var anonymous = ApiSession.AnonymousClient(fixture);
        using var login = await AuthTestData.LoginAsync(anonymous, user.Email, user.Password);
        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
        Assert.Equal("user_blocked", (await AuthTestData.JsonAsync(login)).GetProperty("code").GetString());
        using var wrongPassword = await AuthTestData.LoginAsync(anonymous, user.Email, "Not-the-pass-1");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode); // status is revealed only to the right password

        Assert.Equal(1, await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM audits WHERE action = 'user.blocked' AND object_id = @id AND (metadata->>'sessionsRevoked')::int >= 1",
            ("id", user.UserId.ToString())));

        using (var unblock = await admin.Client.PostAsync($"/api/admin/users/{user.UserId}/unblock", null))
        {
            Assert.Equal(HttpStatusCode.OK, unblock.StatusCode);
        }

        using var again = await AuthTestData.LoginAsync(anonymous, user.Email, user.Password);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Revoking_a_session_makes_its_next_request_401_and_other_sessions_keep_working()
    {
        using var first = await ApiSession.CreateUserAsync(fixture, "user");
        using var second = await ApiSession.LoginAsync(fixture, first.Email, first.Password);
        Assert.Equal(HttpStatusCode.OK, (await first.Client.GetAsync("/api/me")).StatusCode);

        var sessions = await second.Client.GetFromJsonAsync<List<SessionView>>("/api/auth/sessions");
        var firstSession = Assert.Single(sessions!, s => !s.Current && s.Active);
        Assert.Single(sessions!, s => s.Current);

        using var revoke = await second.Client.PostAsync($"/api/auth/sessions/{firstSession.Id}/revoke", null);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        using var afterRevoke = await first.Client.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.Client.GetAsync("/api/me")).StatusCode);
        Assert.Equal(1, await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM audits WHERE action = 'auth.session_revoked' AND object_id = @id", ("id", firstSession.Id.ToString())));

        // Someone else's session is not found (and not revoked).
        using var stranger = await ApiSession.CreateUserAsync(fixture, "user");
        var secondSession = (await second.Client.GetFromJsonAsync<MeResponse>("/api/me"))!.SessionId;
        using var foreign = await stranger.Client.PostAsync($"/api/auth/sessions/{secondSession}/revoke", null);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.Client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Removing_a_role_makes_the_next_request_403_and_the_denial_is_audited()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "auditor", "user");
        using var admin = await ApiSession.AdminAsync(fixture);
        // /api/admin/roles needs users.manage: an auditor is refused, which proves the policy reads roles.
        using (var denied = await user.Client.GetAsync("/api/admin/roles"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        using (var grant = await admin.Client.PutAsJsonAsync($"/api/admin/users/{user.UserId}/roles", new { roles = new[] { "admin" } }))
        {
            Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        }

        using (var allowed = await user.Client.GetAsync("/api/admin/roles"))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using (var remove = await admin.Client.PutAsJsonAsync($"/api/admin/users/{user.UserId}/roles", new { roles = new[] { "user" } }))
        {
            Assert.Equal(HttpStatusCode.OK, remove.StatusCode);
            Assert.Equal(["user"], (await AuthTestData.JsonAsync(remove)).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        }

        using var after = await user.Client.GetAsync("/api/admin/roles");
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
        var problem = await AuthTestData.JsonAsync(after);
        Assert.Equal("forbidden", problem.GetProperty("code").GetString());
        Assert.Equal(403, problem.GetProperty("status").GetInt32());
        var me = await user.Client.GetFromJsonAsync<MeResponse>("/api/me");
        Assert.Equal(["user"], me!.Roles);

        Assert.True(await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM audits WHERE action = 'auth.access_denied' AND outcome = 'denied' AND actor_user_id = @id AND metadata->>'code' = 'forbidden'",
            ("id", user.UserId)) >= 2);
        Assert.Equal(2, await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM audits WHERE action = 'user.roles_changed' AND object_id = @id", ("id", user.UserId.ToString())));
    }

    [Fact]
    public async Task Anonymous_requests_to_protected_endpoints_are_401_problem_details()
    {
        // Their audit (aggregated per address and reason) is asserted by AbuseTests, on an address of its own.
        using var anonymous = ApiSession.AnonymousClient(fixture);

        using var response = await anonymous.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unauthenticated", (await AuthTestData.JsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Logout_revokes_the_session_and_expires_the_cookie()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "user");
        var token = user.Cookies.GetAllCookies().Single(c => c.Name == "agepar_session").Value;

        using var logout = await user.Client.PostAsync("/api/auth/logout", null);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Contains(logout.Headers.GetValues("Set-Cookie"), c => c.StartsWith("agepar_session=;", StringComparison.Ordinal));
        Assert.Equal(1, await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM sessions WHERE token_hash = sha256(convert_to(@t, 'UTF8')) AND revoked_at IS NOT NULL", ("t", token)));

        // Replaying the old cookie does not work.
        using var replay = ApiSession.AnonymousClient(fixture);
        replay.DefaultRequestHeaders.Add("Cookie", "agepar_session=" + token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_user_who_must_change_the_password_reaches_only_me_and_change_password()
    {
        var (id, email, _, _) = await ApiSession.CreateUserAccountAsync(fixture, ["user"]);
        using var admin = await ApiSession.AdminAsync(fixture);
        var temporary = ApiSession.NewPassword();
        using (var reset = await admin.Client.PostAsJsonAsync($"/api/admin/users/{id}/reset-password", new { password = temporary }))
        {
            Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        }

        using var client = ApiSession.AnonymousClient(fixture);
        using var login = await AuthTestData.LoginAsync(client, email, temporary);
        var body = await AuthTestData.JsonAsync(login);
        Assert.True(body.GetProperty("mustChangePassword").GetBoolean());
        client.DefaultRequestHeaders.Add(SessionAuthentication.CsrfHeaderName, body.GetProperty("csrfToken").GetString());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
        using var blocked = await client.GetAsync("/api/auth/sessions");
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Equal("password_change_required", (await AuthTestData.JsonAsync(blocked)).GetProperty("code").GetString());

        var weak = await client.PostAsJsonAsync("/api/auth/change-password",
            new { currentPassword = temporary, newPassword = "senha123", newPasswordConfirm = "senha123" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.True((await AuthTestData.JsonAsync(weak)).GetProperty("errors").TryGetProperty("newPassword", out _));

        var chosen = ApiSession.NewPassword();
        using var changed = await client.PostAsJsonAsync("/api/auth/change-password",
            new { currentPassword = temporary, newPassword = chosen, newPasswordConfirm = chosen });
        Assert.True(changed.StatusCode == HttpStatusCode.OK, await AuthTestData.DescribeAsync(changed));
        var changedBody = await AuthTestData.JsonAsync(changed);
        Assert.False(changedBody.GetProperty("mustChangePassword").GetBoolean());
        client.DefaultRequestHeaders.Remove(SessionAuthentication.CsrfHeaderName);
        client.DefaultRequestHeaders.Add(SessionAuthentication.CsrfHeaderName, changedBody.GetProperty("csrfToken").GetString());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/sessions")).StatusCode);
        using var oldPassword = await AuthTestData.LoginAsync(ApiSession.AnonymousClient(fixture), email, temporary);
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        Assert.Equal(1, await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM audits WHERE action = 'auth.password_changed' AND actor_user_id = @id", ("id", id)));
    }
}
