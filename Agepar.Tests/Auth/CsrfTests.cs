using System.Net;
using System.Net.Http.Json;
using Agepar.Bff.Auth;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Auth;

/// <summary>Every unsafe request authenticated by the cookie needs the session's CSRF token in X-CSRF-Token.</summary>
[Collection(AppCollection.Name)]
public sealed class CsrfTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task A_post_without_the_token_is_403_and_with_it_succeeds()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "user");
        using var second = await ApiSession.LoginAsync(fixture, user.Email, user.Password);
        var target = (await second.Client.GetFromJsonAsync<MeResponse>("/api/me"))!.SessionId;
        var url = $"/api/auth/sessions/{target}/revoke";
        user.Client.DefaultRequestHeaders.Remove(SessionAuthentication.CsrfHeaderName);

        using var missing = await user.Client.PostAsync(url, null);
        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        Assert.Equal("csrf_token_invalid", (await AuthTestData.JsonAsync(missing)).GetProperty("code").GetString());

        using var wrong = new HttpRequestMessage(HttpMethod.Post, url);
        wrong.Headers.Add(SessionAuthentication.CsrfHeaderName, second.CsrfToken); // another session's token
        using var wrongResponse = await user.Client.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Forbidden, wrongResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.Client.GetAsync("/api/me")).StatusCode); // nothing happened

        var csrf = await user.Client.GetFromJsonAsync<CsrfResponse>("/api/auth/csrf");
        Assert.Equal(user.CsrfToken, csrf!.CsrfToken); // stable for the session: every tab gets the same one
        using var right = new HttpRequestMessage(HttpMethod.Post, url);
        right.Headers.Add(csrf.HeaderName, csrf.CsrfToken);
        using var rightResponse = await user.Client.SendAsync(right);
        Assert.Equal(HttpStatusCode.NoContent, rightResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.Client.GetAsync("/api/me")).StatusCode);

        Assert.True(await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM audits WHERE action = 'auth.access_denied' AND actor_user_id = @id AND metadata->>'code' = 'csrf_token_invalid'",
            ("id", user.UserId)) >= 2);
    }

    [Fact]
    public async Task Admin_writes_are_covered_too_and_logout_needs_the_token()
    {
        using var admin = await ApiSession.AdminAsync(fixture);
        admin.Client.DefaultRequestHeaders.Remove(SessionAuthentication.CsrfHeaderName);

        using var create = await admin.Client.PostAsJsonAsync("/api/admin/users",
            new { name = "Sem Token", email = AuthTestData.UniqueEmail("csrf"), password = ApiSession.NewPassword() });
        using var logout = await admin.Client.PostAsync("/api/auth/logout", null);

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, logout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/api/me")).StatusCode);
    }
}
