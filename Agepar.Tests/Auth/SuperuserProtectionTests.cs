using System.Net;
using System.Net.Http.Json;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Auth;

/// <summary>Only a superuser may change, block, reset or demote a superuser; an admin gets 403, audited, and nothing changes.</summary>
[Collection(AppCollection.Name)]
public sealed class SuperuserProtectionTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task An_admin_cannot_touch_a_superuser_and_every_refusal_is_audited()
    {
        var (target, _, _, _) = await ApiSession.CreateUserAccountAsync(fixture, ["rh"]);
        await TestSql.ExecuteAsync(fixture, "UPDATE users SET is_superuser = true WHERE id = @id", ("id", target));
        var before = await SnapshotAsync(target);
        using var admin = await ApiSession.AdminAsync(fixture);

        var attempts = new (string Name, Func<Task<HttpResponseMessage>> Send)[]
        {
            ("update", () => admin.Client.PutAsJsonAsync($"/api/admin/users/{target}", new { name = "Renomeado Pelo Admin" })),
            ("block", () => admin.Client.PostAsync($"/api/admin/users/{target}/block", null)),
            ("unblock", () => admin.Client.PostAsync($"/api/admin/users/{target}/unblock", null)),
            ("roles", () => admin.Client.PutAsJsonAsync($"/api/admin/users/{target}/roles", new { roles = new[] { "user" } })),
            ("reset", () => admin.Client.PostAsJsonAsync($"/api/admin/users/{target}/reset-password", new { })),
        };
        foreach (var (name, send) in attempts)
        {
            using var response = await send();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{name}: {await AuthTestData.DescribeAsync(response)}");
            Assert.Equal("superuser_protected", (await AuthTestData.JsonAsync(response)).GetProperty("code").GetString());
        }

        Assert.Equal(before, await SnapshotAsync(target));
        // A signed-in user's refusals are audited per endpoint: five endpoints, five rows.
        Assert.Equal(5, await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM audits WHERE action = 'auth.access_denied' AND actor_user_id = @a AND metadata->>'code' = 'superuser_protected'",
            ("a", admin.UserId)));
    }

    [Fact]
    public async Task A_superuser_may_reset_another_superuser()
    {
        var (actor, email, password, _) = await ApiSession.CreateUserAccountAsync(fixture, []);
        var (target, _, _, _) = await ApiSession.CreateUserAccountAsync(fixture, []);
        await TestSql.ExecuteAsync(fixture, "UPDATE users SET is_superuser = true WHERE id = ANY(@ids)", ("ids", new[] { actor, target }));
        using var superuser = await ApiSession.LoginAsync(fixture, email, password);

        using var reset = await superuser.Client.PostAsJsonAsync($"/api/admin/users/{target}/reset-password", new { });

        Assert.True(reset.StatusCode == HttpStatusCode.OK, await AuthTestData.DescribeAsync(reset));
        Assert.True(await TestSql.ScalarAsync<bool>(fixture, "SELECT must_change_password FROM users WHERE id = @id", ("id", target)));
    }

    private Task<string?> SnapshotAsync(Guid id) =>
        TestSql.ScalarAsync<string>(fixture, """
            SELECT concat_ws('|', u.name, u.email, u.status, u.password_hash, u.must_change_password,
                   (SELECT string_agg(r.name, ',' ORDER BY r.name) FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id))
            FROM users u WHERE u.id = @id
            """, ("id", id));
}
