using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Json;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Api;

/// <summary>
/// The values issue 8 found answering 500, one by one, with the answer each must get: far dates work (a bare
/// <c>until=9999-12-31</c> is "no upper bound"), out-of-range instants, huge limits and forged cursors are a 400
/// naming the parameter. <see cref="OpenApiFuzzTests"/> covers the same ground at random; this pins the known cases.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class BoundaryValueTests(AgeparAppFixture fixture)
{
    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string KeysetCursor(long micros, int idLength)
    {
        var bytes = new byte[9 + idLength];
        bytes[0] = 1;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), micros);
        return B64(bytes);
    }

    public static TheoryData<string, int, string?> Cases() => new()
    {
        { "/api/control/audits?until=9999-12-31", 200, null },
        { "/api/control/audits?since=0001-01-01&until=9999-12-31&limit=500", 200, null },
        { "/api/control/audits?since=9999-12-31", 200, null },
        { "/api/control/submissions?until=9999-12-31", 200, null },
        { "/api/control/submissions?since=0001-01-01T00:00:00-12:00&until=9999-12-31T23:59:59%2B14:00", 200, null },
        { "/api/control/audits.csv?since=0001-01-01&until=9999-12-31&kind=no-such-kind", 200, null },
        { "/api/control/submissions.csv?until=9999-12-31&kind=no-such-kind", 200, null },
        { "/api/control/audits?since=0001-01-01T00:00:00%2B14:00", 400, "since" },
        { "/api/control/submissions?until=9999-12-31T23:59:59-12:00", 400, "until" },
        { "/api/control/audits?until=10000-01-01", 400, "until" },
        { "/api/control/audits?limit=2147483648", 400, "limit" },
        { "/api/control/submissions?limit=-1", 400, "limit" },
        { "/api/control/submissions?limit=99999999999999999999", 400, "limit" },
        { $"/api/control/audits?cursor={KeysetCursor(long.MaxValue, 8)}", 400, "cursor" },
        { $"/api/control/submissions?cursor={KeysetCursor(long.MinValue, 16)}", 400, "cursor" },
        { "/api/control/audits?text=a%00b", 400, "text" },
        // A lone surrogate's UTF-8 bytes: Kestrel decodes the invalid sequence to U+FFFD, an ordinary (unknown) actor.
        { "/api/control/audits?actor=%ED%A0%80", 200, null },
        { "/api/control/audits?actor=%E2%80%AE%F0%9F%98%80", 200, null },
        { "/api/admin/users?limit=2147483648", 400, "limit" },
        { "/api/admin/users?limit=-1", 400, "limit" },
        { $"/api/admin/users?cursor={B64(Encoding.UTF8.GetBytes($"9999999999999999999:{Guid.Empty:N}"))}", 400, "cursor" },
        { $"/api/admin/users?cursor={B64(Encoding.UTF8.GetBytes($"-1:{Guid.Empty:N}"))}", 400, "cursor" },
        { $"/api/admin/users?cursor={KeysetCursor(long.MaxValue, 16)}", 400, "cursor" },
        { "/api/admin/users?q=a%00b", 400, "q" },
        { "/api/admin/users?role=%00", 400, "role" },
        { "/api/admin/users?status=nope", 400, "status" },
        { $"/api/automations/form2json/submissions?cursor={KeysetCursor(-62135596800000001, 16)}", 400, "cursor" },
        { "/api/automations/form2json/audits?limit=2147483648", 400, "limit" },
        { "/api/admin/users/not-a-guid", 404, null },
        { "/api/control/submissions/00000000-0000-0000-0000-00000000000", 404, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Far_dates_huge_numbers_and_forged_cursors_get_a_precise_answer_never_a_5xx(string url, int status, string? field)
    {
        using var admin = await ApiSession.CreateUserAsync(fixture, "admin");
        using var response = await admin.Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        if ((int)response.StatusCode == 200 && status == 200)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{url}: expected {status}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        if (field is not null)
        {
            var errors = problem.RootElement.GetProperty("errors");
            Assert.True(errors.EnumerateObject().Any(e => string.Equals(e.Name, field, StringComparison.OrdinalIgnoreCase)), $"{url}: {body}");
        }

        // One vocabulary (docs/api-errors.md): every problem names a stable code; a 400 is always invalid_request.
        Assert.True(problem.RootElement.TryGetProperty("code", out var code), $"{url}: no code in {body}");
        if (status == 400)
        {
            Assert.Equal("invalid_request", code.GetString());
        }
    }

    /// <summary>Bodies whose text PostgreSQL cannot take (found by the fuzz: these were 500s).</summary>
    [Fact]
    public async Task Nul_in_role_names_and_login_identifiers_is_a_400_and_writes_nothing()
    {
        using var admin = await ApiSession.CreateUserAsync(fixture, "admin");
        var email = $"nul-{Guid.NewGuid():N}@agepar.test";
        using var create = await admin.Client.PostAsync("/api/admin/users", Json($$"""{"name":"Ana","email":"{{email}}","roles":["user","a\u0000"]}"""));
        using var roles = await admin.Client.PutAsync($"/api/admin/users/{admin.UserId}/roles", Json("""{"roles":["admin","\u0000"]}"""));
        using var name = await admin.Client.PutAsync($"/api/admin/users/{admin.UserId}", Json("""{"name":"Ana\u0000"}"""));
        using var anonymous = ApiSession.AnonymousClient(fixture);
        var identifier = $"nul-{Guid.NewGuid():N}\\u0000@agepar.test"; // a JSON escape: the BFF receives a NUL
        using var login = await anonymous.PostAsync("/api/auth/login", Json($$"""{"identifier":"{{identifier}}","password":"whatever-1A"}"""));

        foreach (var (response, field) in new[] { (create, "roles"), (roles, "roles"), (name, "name"), (login, "identifier") })
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.RequestMessage!.RequestUri}: {(int)response.StatusCode} {body}");
            using var problem = JsonDocument.Parse(body);
            Assert.True(problem.RootElement.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri} {field}: {body}");
        }

        Assert.Equal(0L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM users WHERE email = @e", ("e", email)));
        Assert.Equal(1L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM user_roles WHERE user_id = @u", ("u", admin.UserId)));
        Assert.Equal(0L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM login_attempts WHERE identifier LIKE 'nul-%'"));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Users_pages_continue_with_the_shared_cursor()
    {
        using var admin = await ApiSession.CreateUserAsync(fixture, "admin");
        using var first = await admin.Client.GetAsync("/api/admin/users?limit=1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var page = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        var cursor = page.RootElement.GetProperty("nextCursor").GetString();
        Assert.NotNull(cursor);
        using var second = await admin.Client.GetAsync($"/api/admin/users?limit=1&cursor={cursor}");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var next = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        Assert.NotEqual(
            page.RootElement.GetProperty("items")[0].GetProperty("id").GetGuid(),
            next.RootElement.GetProperty("items")[0].GetProperty("id").GetGuid());
    }
}
