using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Agepar.Bench;

/// <summary>A signed-in client of the BFF (session cookie + CSRF header), with 429 back-off.</summary>
internal sealed class BffClient(HttpClient http) : IDisposable
{
    public static async Task<BffClient> SignInAsync(BenchOptions options)
    {
        var client = await LoginAsync(options.Url, options.Email, options.Password);
        if (!client.MustChangePassword)
        {
            return client.Client;
        }

        if (options.NewPassword is null)
        {
            throw new InvalidOperationException("The account must change its password first: pass --new-password.");
        }

        using var change = await client.Client.SendAsync(HttpMethod.Post, "/api/auth/change-password",
            new { currentPassword = options.Password, newPassword = options.NewPassword, newPasswordConfirm = options.NewPassword });
        if (!change.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Password change failed: {(int)change.StatusCode} {await change.Content.ReadAsStringAsync()}");
        }

        client.Client.Dispose();
        return (await LoginAsync(options.Url, options.Email, options.NewPassword)).Client;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null)
    {
        while (true)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.TooManyRequests)
            {
                return response;
            }

            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(wait);
        }
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    public void Dispose() => http.Dispose();

    private static async Task<(BffClient Client, bool MustChangePassword)> LoginAsync(Uri url, string email, string password)
    {
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), MaxConnectionsPerServer = 64 }) { BaseAddress = url };
        using var response = await http.PostAsJsonAsync("/api/auth/login", new { identifier = email, password, rememberMe = false });
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Login failed: {(int)response.StatusCode} {text}");
        }

        using var json = JsonDocument.Parse(text);
        http.DefaultRequestHeaders.Add("X-CSRF-Token", json.RootElement.GetProperty("csrfToken").GetString());
        return (new BffClient(http), json.RootElement.GetProperty("mustChangePassword").GetBoolean());
    }
}
