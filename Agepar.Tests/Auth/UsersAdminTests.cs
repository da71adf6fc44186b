using System.Net;
using System.Net.Http.Json;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Auth;

/// <summary>User administration: validation, conflicts, paging, guards, and who may use it.</summary>
[Collection(AppCollection.Name)]
public sealed class UsersAdminTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task Create_validates_fields_and_policy_and_refuses_duplicates()
    {
        using var admin = await ApiSession.AdminAsync(fixture);
        var email = AuthTestData.UniqueEmail("dup");

        using var invalid = await admin.Client.PostAsJsonAsync("/api/admin/users",
            new { name = "", email = "not-an-email", cpf = "123.456.789-00", roles = new[] { "nope" }, password = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await AuthTestData.JsonAsync(invalid)).GetProperty("errors");
        foreach (var field in new[] { "name", "email", "cpf", "roles" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }

        using var weak = await admin.Client.PostAsJsonAsync("/api/admin/users",
            new { name = "Maria Souza", email, password = "Agepar2024" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.True((await AuthTestData.JsonAsync(weak)).GetProperty("errors").TryGetProperty("password", out _));

        using var created = await admin.Client.PostAsJsonAsync("/api/admin/users", new { name = "Maria Souza", email });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await AuthTestData.JsonAsync(created);
        var temporary = body.GetProperty("temporaryPassword").GetString();
        Assert.False(string.IsNullOrEmpty(temporary));
        Assert.True(body.GetProperty("user").GetProperty("mustChangePassword").GetBoolean());
        Assert.Equal(["user"], body.GetProperty("user").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        using var duplicate = await admin.Client.PostAsJsonAsync("/api/admin/users",
            new { name = "Outra Maria", email = email.ToUpperInvariant(), password = ApiSession.NewPassword() });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("email_taken", (await AuthTestData.JsonAsync(duplicate)).GetProperty("code").GetString());

        using var login = await AuthTestData.LoginAsync(ApiSession.AnonymousClient(fixture), email, temporary!);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task List_pages_with_a_cursor_and_filters_by_text_and_role()
    {
        using var admin = await ApiSession.AdminAsync(fixture);
        var tag = Guid.NewGuid().ToString("N")[..10];
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var (id, _, _, _) = await ApiSession.CreateUserAccountAsync(fixture, ["rh"], name: $"Paginado {tag} {i}");
            ids.Add(id);
        }

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var url = $"/api/admin/users?q={tag}&role=rh&limit=2" + (cursor is null ? "" : $"&cursor={cursor}");
            using var page = await admin.Client.GetAsync(url);
            Assert.True(page.StatusCode == HttpStatusCode.OK, await AuthTestData.DescribeAsync(page));
            var body = await AuthTestData.JsonAsync(page);
            seen.AddRange(body.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("id").GetGuid()));
            cursor = body.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(ids), seen);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.GetAsync("/api/admin/users?cursor=garbage")).StatusCode);
    }

    [Fact]
    public async Task Only_admins_manage_users_and_an_admin_cannot_block_themselves()
    {
        using var plain = await ApiSession.CreateUserAsync(fixture, "rh", "auditor");
        using var admin = await ApiSession.AdminAsync(fixture);

        Assert.Equal(HttpStatusCode.Forbidden, (await plain.Client.GetAsync("/api/admin/users")).StatusCode);
        using var selfPromotion = await plain.Client.PutAsJsonAsync($"/api/admin/users/{plain.UserId}/roles", new { roles = new[] { "admin" } });
        Assert.Equal(HttpStatusCode.Forbidden, selfPromotion.StatusCode);

        using var self = await admin.Client.PostAsync($"/api/admin/users/{admin.UserId}/block", null);
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync($"/api/admin/users/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task An_administrative_password_reset_revokes_sessions_and_forces_a_change()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "user");
        using var admin = await ApiSession.AdminAsync(fixture);

        using var reset = await admin.Client.PostAsJsonAsync($"/api/admin/users/{user.UserId}/reset-password", new { password = (string?)null });

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var temporary = (await AuthTestData.JsonAsync(reset)).GetProperty("temporaryPassword").GetString();
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.Client.GetAsync("/api/me")).StatusCode);
        using var oldPassword = await AuthTestData.LoginAsync(ApiSession.AnonymousClient(fixture), user.Email, user.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        using var newPassword = await AuthTestData.LoginAsync(ApiSession.AnonymousClient(fixture), user.Email, temporary!);
        Assert.True((await AuthTestData.JsonAsync(newPassword)).GetProperty("mustChangePassword").GetBoolean());
    }
}
