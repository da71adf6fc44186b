using System.Net;
using System.Net.Http.Json;
using Agepar.Bff.Auth;
using Agepar.Data.Auth;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Auth;

/// <summary>Sign-in over real HTTP against Postgres and Redis: identifiers, failures, audits, throttling, cookies.</summary>
[Collection(AppCollection.Name)]
public sealed class LoginTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task Login_by_email_in_any_case_returns_the_user_and_the_session_works()
    {
        var (id, email, password, _) = await ApiSession.CreateUserAccountAsync(fixture, ["compras"]);
        using var client = ApiSession.AnonymousClient(fixture);

        using var login = await AuthTestData.LoginAsync(client, "  " + email.ToUpperInvariant() + " ", password);

        Assert.True(login.StatusCode == HttpStatusCode.OK, await AuthTestData.DescribeAsync(login));
        var body = await AuthTestData.JsonAsync(login);
        Assert.Equal(id, body.GetProperty("id").GetGuid());
        Assert.Equal(["compras"], body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("csrfToken").GetString()));

        var me = await client.GetFromJsonAsync<MeResponse>("/api/me");
        Assert.Equal(id, me!.Id);
        Assert.Equal(email, me.Email);
        Assert.Equal(body.GetProperty("sessionId").GetGuid(), me.SessionId);
    }

    [Fact]
    public async Task Login_by_cpf_accepts_plain_and_formatted_digits()
    {
        var (id, _, password, cpf) = await ApiSession.CreateUserAccountAsync(fixture, []);

        foreach (var identifier in new[] { cpf, Cpf.Format(cpf) })
        {
            using var client = ApiSession.AnonymousClient(fixture);
            using var login = await AuthTestData.LoginAsync(client, identifier, password);
            Assert.True(login.StatusCode == HttpStatusCode.OK, $"{identifier}: {await AuthTestData.DescribeAsync(login)}");
            Assert.Equal(id, (await AuthTestData.JsonAsync(login)).GetProperty("id").GetGuid());
        }
    }

    [Fact]
    public async Task Wrong_password_is_401_with_the_same_answer_as_an_unknown_user_and_is_audited()
    {
        var (id, email, _, _) = await ApiSession.CreateUserAccountAsync(fixture, []);
        using var client = ApiSession.AnonymousClient(fixture);

        using var wrong = await AuthTestData.LoginAsync(client, email, "Wrong-pass-123");
        using var unknown = await AuthTestData.LoginAsync(client, AuthTestData.UniqueEmail("nobody"), "Wrong-pass-123");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var wrongBody = await AuthTestData.JsonAsync(wrong);
        var unknownBody = await AuthTestData.JsonAsync(unknown);
        Assert.Equal("invalid_credentials", wrongBody.GetProperty("code").GetString());
        Assert.Equal(wrongBody.GetProperty("title").GetString(), unknownBody.GetProperty("title").GetString());
        Assert.Equal(wrongBody.GetProperty("code").GetString(), unknownBody.GetProperty("code").GetString());
        Assert.False(wrong.Headers.TryGetValues("Set-Cookie", out var cookies)
                     && cookies.Any(c => c.StartsWith("agepar_session=", StringComparison.Ordinal) && !c.Contains("1970", StringComparison.Ordinal)));

        var audits = await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM audits WHERE action = 'auth.login_failed' AND outcome = 'failure' AND actor_user_id = @id AND metadata->>'reason' = 'bad_credentials'",
            ("id", id));
        Assert.Equal(1, audits);
        var attempts = await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM login_attempts WHERE user_id = @id AND NOT success AND reason = 'bad_credentials'", ("id", id));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task The_sixth_failure_in_the_window_is_429_with_Retry_After_even_with_the_right_password()
    {
        var (_, email, password, _) = await ApiSession.CreateUserAccountAsync(fixture, []);
        using var client = ApiSession.AnonymousClient(fixture);

        for (var i = 1; i <= 5; i++)
        {
            using var failed = await AuthTestData.LoginAsync(client, email, $"Wrong-pass-{i}x");
            Assert.True(failed.StatusCode == HttpStatusCode.Unauthorized, $"attempt {i}: {await AuthTestData.DescribeAsync(failed)}");
        }

        using var limited = await AuthTestData.LoginAsync(client, email, password);

        Assert.True(limited.StatusCode == HttpStatusCode.TooManyRequests, await AuthTestData.DescribeAsync(limited));
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 15 * 60);
        Assert.Equal("too_many_attempts", (await AuthTestData.JsonAsync(limited)).GetProperty("code").GetString());
        var recorded = await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM login_attempts WHERE identifier = @e AND reason = 'rate_limited'", ("e", email));
        Assert.Equal(1, recorded);
    }

    [Fact]
    public async Task A_user_without_a_password_cannot_sign_in_with_any_password()
    {
        var email = AuthTestData.UniqueEmail("nopassword");
        await AuthTestData.InsertUserAsync(fixture, email, passwordHash: null, roles: "user");
        using var client = ApiSession.AnonymousClient(fixture);

        foreach (var candidate in new[] { "x", "password", "Senha123", email, "null" })
        {
            using var response = await AuthTestData.LoginAsync(client, email, candidate);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(0, await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = @e", ("e", email)));
    }

    [Fact]
    public async Task Empty_or_malformed_bodies_are_400_problem_details_not_500()
    {
        using var client = ApiSession.AnonymousClient(fixture);

        using var empty = await client.PostAsJsonAsync("/api/auth/login", new { identifier = "", password = "" });
        using var malformed = await client.PostAsync("/api/auth/login", new StringContent("{\"identifier\": ", System.Text.Encoding.UTF8, "application/json"));
        using var wrongType = await client.PostAsync("/api/auth/login", new StringContent("{\"identifier\": 1, \"password\": [], \"rememberMe\": \"yes\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var errors = (await AuthTestData.JsonAsync(empty)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("identifier", out _));
        Assert.True(errors.TryGetProperty("password", out _));
        foreach (var response in new[] { malformed, wrongType })
        {
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, await AuthTestData.DescribeAsync(response));
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_session_cookie_is_HttpOnly_SameSite_Lax_path_root_and_persistent_only_with_remember_me()
    {
        var (_, email, password, _) = await ApiSession.CreateUserAccountAsync(fixture, []);
        using var client = ApiSession.AnonymousClient(fixture);

        using var plain = await AuthTestData.LoginAsync(client, email, password);
        using var remembered = await AuthTestData.LoginAsync(client, email, password, rememberMe: true);

        var plainCookie = Assert.Single(plain.Headers.GetValues("Set-Cookie"), c => c.StartsWith("agepar_session=", StringComparison.Ordinal));
        var rememberedCookie = Assert.Single(remembered.Headers.GetValues("Set-Cookie"), c => c.StartsWith("agepar_session=", StringComparison.Ordinal) && !c.Contains("1970"));
        foreach (var cookie in new[] { plainCookie, rememberedCookie })
        {
            var attributes = cookie.Split(';').Select(a => a.Trim().ToLowerInvariant()).ToList();
            Assert.Contains("httponly", attributes);
            Assert.Contains("samesite=lax", attributes);
            Assert.Contains("path=/", attributes);
            // The fixture runs the BFF in Development over http: Secure is off there (SessionCookieTests covers the rest).
            Assert.DoesNotContain("secure", attributes);
            var token = cookie.Split(';')[0]["agepar_session=".Length..];
            Assert.Equal(43, token.Length);
        }

        Assert.DoesNotContain("expires=", plainCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("expires=", rememberedCookie, StringComparison.OrdinalIgnoreCase);

        // Only the SHA-256 of the token is stored.
        var token2 = rememberedCookie.Split(';')[0]["agepar_session=".Length..];
        Assert.Equal(1, await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM sessions WHERE token_hash = sha256(convert_to(@t, 'UTF8')) AND remember_me AND expires_at > now() + interval '29 days'",
            ("t", token2)));
        Assert.Equal(0, await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM sessions WHERE encode(token_hash, 'escape') LIKE '%' || @t || '%'", ("t", token2)));
    }
}
