using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Agepar.Bff.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Agepar.Tests.Infrastructure;

/// <summary>
/// A signed-in HTTP client for the BFF: cookie container with the session cookie, and the session's CSRF token in the
/// <c>X-CSRF-Token</c> default header, so every request — GET or POST — is made as that user.
/// <code>
/// using var admin = await ApiSession.AdminAsync(fixture);                       // the bootstrap admin
/// using var user = await ApiSession.CreateUserAsync(fixture, "compras");        // a new user with these roles
/// var response = await user.Client.PostAsJsonAsync("/api/...", body);
/// </code>
/// The bootstrap admin must change the generated password at first login; <see cref="AdminAsync"/> does it once per
/// test run and remembers the new password.
/// </summary>
public sealed class ApiSession : IDisposable
{
    private static readonly SemaphoreSlim AdminGate = new(1, 1);
    private static readonly Dictionary<AgeparAppFixture, string> AdminPasswords = [];
    private static readonly SemaphoreSlim SharedAdminGate = new(1, 1);
    private static readonly Dictionary<AgeparAppFixture, ApiSession> SharedAdmins = [];

    private ApiSession(HttpClient client, CookieContainer cookies, Guid userId, string email, string? cpf, string name, string password, string csrfToken)
    {
        Client = client;
        Cookies = cookies;
        UserId = userId;
        Email = email;
        Cpf = cpf;
        Name = name;
        Password = password;
        CsrfToken = csrfToken;
    }

    /// <summary>Client for the BFF's http endpoint, carrying the session cookie and the CSRF header.</summary>
    public HttpClient Client { get; }

    public CookieContainer Cookies { get; }

    public Guid UserId { get; }

    public string Email { get; }

    /// <summary>11 digits, or null.</summary>
    public string? Cpf { get; }

    public string Name { get; }

    public string Password { get; }

    public string CsrfToken { get; }

    /// <summary>Signs in as the bootstrap admin (role admin), changing its forced first password once per run.</summary>
    public static async Task<ApiSession> AdminAsync(AgeparAppFixture fixture)
    {
        var (email, initial) = await BootstrapCredentialsAsync(fixture);
        await AdminGate.WaitAsync();
        try
        {
            if (AdminPasswords.TryGetValue(fixture, out var known))
            {
                return await LoginAsync(fixture, email, known);
            }

            (ApiSession Session, bool MustChangePassword) session;
            try
            {
                session = await LoginAsync(fixture, email, initial, allowPasswordChange: true);
            }
            catch (InvalidOperationException ex)
            {
                throw new InvalidOperationException($"{ex.Message}\n{fixture.Logs.Dump("bff")}", ex);
            }

            if (!session.MustChangePassword)
            {
                AdminPasswords[fixture] = initial;
                return session.Session;
            }

            var changed = NewPassword();
            using var response = await session.Session.Client.PostAsJsonAsync("/api/auth/change-password",
                new { currentPassword = initial, newPassword = changed, newPasswordConfirm = changed });
            await EnsureAsync(response, "change the bootstrap admin's password");
            session.Session.Dispose();
            AdminPasswords[fixture] = changed;
            return await LoginAsync(fixture, email, changed);
        }
        finally
        {
            AdminGate.Release();
        }
    }

    /// <summary>
    /// Creates an active user with <paramref name="roles"/> (none: just <c>user</c>), a unique e-mail and a valid CPF
    /// through the admin API, then signs in as them.
    /// </summary>
    public static async Task<ApiSession> CreateUserAsync(AgeparAppFixture fixture, params string[] roles)
    {
        var (_, email, password, _) = await CreateUserAccountAsync(fixture, roles);
        return await LoginAsync(fixture, email, password);
    }

    /// <summary>Creates an active user through the admin API without signing in: (id, email, password, cpf).</summary>
    public static async Task<(Guid Id, string Email, string Password, string Cpf)> CreateUserAccountAsync(
        AgeparAppFixture fixture, string[] roles, string? name = null)
    {
        var unique = Guid.NewGuid().ToString("N")[..12];
        var email = $"user-{unique}@agepar.test";
        var cpf = TestCpf.New();
        var password = NewPassword();
        var request = new
        {
            name = name ?? $"Usuário Teste {unique}",
            email,
            cpf,
            roles = roles.Length == 0 ? ["user"] : roles,
            password,
            mustChangePassword = false,
        };
        using var response = await AsSharedAdminAsync(fixture, admin => admin.Client.PostAsJsonAsync("/api/admin/users", request));
        var body = await EnsureAsync(response, "create a user");
        return (body.GetProperty("user").GetProperty("id").GetGuid(), email, password, cpf);
    }

    /// <summary>
    /// Sends a request as one admin session shared by the helpers (fewer logins); signs in again if a test revoked it.
    /// </summary>
    public static async Task<HttpResponseMessage> AsSharedAdminAsync(AgeparAppFixture fixture, Func<ApiSession, Task<HttpResponseMessage>> send)
    {
        await SharedAdminGate.WaitAsync();
        try
        {
            if (!SharedAdmins.TryGetValue(fixture, out var admin))
            {
                admin = SharedAdmins[fixture] = await AdminAsync(fixture);
            }

            var response = await send(admin);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                return response;
            }

            response.Dispose();
            admin.Dispose();
            admin = SharedAdmins[fixture] = await AdminAsync(fixture);
            return await send(admin);
        }
        finally
        {
            SharedAdminGate.Release();
        }
    }

    /// <summary>Signs in with <paramref name="identifier"/> (e-mail or CPF); fails the test unless the BFF answers 200.</summary>
    public static async Task<ApiSession> LoginAsync(AgeparAppFixture fixture, string identifier, string password, bool rememberMe = false) =>
        (await LoginAsync(fixture, identifier, password, allowPasswordChange: false, rememberMe)).Session;

    /// <summary>A client with an empty cookie container (no session, no CSRF header).</summary>
    public static HttpClient AnonymousClient(AgeparAppFixture fixture, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = fixture.App.GetEndpoint("bff", "http"),
        };

    /// <summary>
    /// The bootstrap admin's e-mail and first password as the AppHost resolved them for the BFF (the parameter
    /// resources' values), falling back to the fixture's <see cref="AgeparAppFixture.Parameters"/>.
    /// </summary>
    public static async Task<(string Email, string Password)> BootstrapCredentialsAsync(AgeparAppFixture fixture)
    {
        var parameters = fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>().ToList();
        async Task<string> ValueAsync(string name) =>
            parameters.FirstOrDefault(p => p.Name == name) is { } parameter && await parameter.GetValueAsync(CancellationToken.None) is { Length: > 0 } value
                ? value
                : fixture.Parameters[name];
        return (await ValueAsync("bootstrap-admin-email"), await ValueAsync("bootstrap-admin-password"));
    }

    /// <summary>A password that satisfies the policy and is unique per call.</summary>
    public static string NewPassword() => "Tst9-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(10)).ToLowerInvariant() + "-Zq7";

    public void Dispose() => Client.Dispose();

    private static async Task<(ApiSession Session, bool MustChangePassword)> LoginAsync(
        AgeparAppFixture fixture, string identifier, string password, bool allowPasswordChange, bool rememberMe = false)
    {
        var cookies = new CookieContainer();
        var client = AnonymousClient(fixture, cookies);
        using var response = await client.PostAsJsonAsync("/api/auth/login", new { identifier, password, rememberMe });
        var body = await EnsureAsync(response, $"sign in as {identifier}");
        var mustChange = body.GetProperty("mustChangePassword").GetBoolean();
        if (mustChange && !allowPasswordChange)
        {
            client.Dispose();
            throw new InvalidOperationException($"{identifier} must change the password before using the API.");
        }

        var csrf = body.GetProperty("csrfToken").GetString()!;
        client.DefaultRequestHeaders.Add(SessionAuthentication.CsrfHeaderName, csrf);
        var session = new ApiSession(client, cookies,
            body.GetProperty("id").GetGuid(),
            body.GetProperty("email").GetString()!,
            body.GetProperty("cpf").ValueKind == JsonValueKind.String ? body.GetProperty("cpf").GetString() : null,
            body.GetProperty("name").GetString()!,
            password,
            csrf);
        return (session, mustChange);
    }

    private static async Task<JsonElement> EnsureAsync(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Could not {what}: {(int)response.StatusCode} {text}");
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }
}
