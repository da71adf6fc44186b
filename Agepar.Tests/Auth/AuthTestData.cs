using System.Net.Http.Json;
using System.Text.Json;
using Agepar.Tests.Infrastructure;
using Npgsql;

namespace Agepar.Tests.Auth;

/// <summary>Direct database access for the auth tests (as the container superuser) and small HTTP helpers.</summary>
internal static class AuthTestData
{
    /// <summary>Inserts a user straight into the database (as a migration from the old portal would): returns its id.</summary>
    public static Task<Guid> InsertUserAsync(AgeparAppFixture fixture, string email, string? passwordHash, string? cpf = null,
        string status = "active", params string[] roles) =>
        ScalarAsync<Guid>(fixture, """
            WITH u AS (
                INSERT INTO users (email, name, cpf_encrypted, cpf_hmac, password_hash, status)
                VALUES (@email, 'Migrado', @cpf_encrypted, @cpf_hmac, @hash, @status) RETURNING id)
            , r AS (INSERT INTO user_roles (user_id, role_id) SELECT u.id, roles.id FROM u, roles WHERE roles.name = ANY(@roles))
            SELECT id FROM u
            """,
            ("email", email), ("cpf_encrypted", TestDataKeys.Protector.Protect(cpf)?.Cipher), ("cpf_hmac", TestDataKeys.Protector.Protect(cpf)?.Hmac), ("hash", passwordHash), ("status", status), ("roles", roles))!;

    public static string UniqueEmail(string prefix) => $"{prefix}-{Guid.NewGuid():N}@agepar.test";

    public static Task<HttpResponseMessage> LoginAsync(HttpClient client, string identifier, string password, bool rememberMe = false) =>
        client.PostAsJsonAsync("/api/auth/login", new { identifier, password, rememberMe });

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    public static async Task<string> DescribeAsync(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
}
