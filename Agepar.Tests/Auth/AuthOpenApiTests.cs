using System.Text.Json;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Auth;

/// <summary>The OpenAPI document lists every auth and admin endpoint, with its authorization requirement.</summary>
[Collection(AppCollection.Name)]
public sealed class AuthOpenApiTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task Every_auth_endpoint_is_documented_with_its_security_requirement()
    {
        using var client = fixture.CreateBffClient();
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/openapi/v1.json"));
        var root = json.RootElement;
        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("cookie", schemes.GetProperty("sessionCookie").GetProperty("in").GetString());
        Assert.Equal("X-CSRF-Token", schemes.GetProperty("csrfHeader").GetProperty("name").GetString());

        var expected = new (string Path, string Method, bool Secured, bool Csrf)[]
        {
            ("/api/auth/login", "post", false, false),
            ("/api/auth/logout", "post", false, false),
            ("/api/me", "get", true, false),
            ("/api/auth/csrf", "get", true, false),
            ("/api/auth/change-password", "post", true, true),
            ("/api/auth/sessions", "get", true, false),
            ("/api/auth/sessions/{id}/revoke", "post", true, true),
            ("/api/admin/roles", "get", true, false),
            ("/api/admin/users", "get", true, false),
            ("/api/admin/users", "post", true, true),
            ("/api/admin/users/{id}", "get", true, false),
            ("/api/admin/users/{id}", "put", true, true),
            ("/api/admin/users/{id}/block", "post", true, true),
            ("/api/admin/users/{id}/unblock", "post", true, true),
            ("/api/admin/users/{id}/roles", "put", true, true),
            ("/api/admin/users/{id}/reset-password", "post", true, true),
        };
        var paths = root.GetProperty("paths");
        foreach (var (path, method, secured, csrf) in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} missing");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path} missing");
            Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()), $"{method} {path} has no summary");
            if (!secured)
            {
                Assert.False(operation.TryGetProperty("security", out _), $"{method} {path} should be anonymous");
                continue;
            }

            var requirement = Assert.Single(operation.GetProperty("security").EnumerateArray());
            Assert.True(requirement.TryGetProperty("sessionCookie", out _), $"{method} {path}");
            Assert.Equal(csrf, requirement.TryGetProperty("csrfHeader", out _));
            Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), $"{method} {path}");
            Assert.Contains("Authorization:", operation.GetProperty("description").GetString());
        }
    }
}
