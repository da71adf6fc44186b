using System.Net;
using System.Security.Cryptography;
using System.Text;
using Agepar.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using StackExchange.Redis;

namespace Agepar.Tests.Auth;

/// <summary>The session → principal lookup is cached in Redis under the token's SHA-256, never the token itself.</summary>
[Collection(AppCollection.Name)]
public sealed class SessionCacheTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task An_authenticated_request_caches_the_session_by_token_hash_with_a_short_ttl_and_a_role_change_invalidates_it()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "user");
        var token = user.Cookies.GetAllCookies().Single(c => c.Name == "agepar_session").Value;
        var key = "agepar:auth:session:" + WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var generationKey = "agepar:auth:user-gen:" + user.UserId.ToString("N");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(
            await fixture.App.GetConnectionStringAsync("redis") ?? throw new InvalidOperationException("no redis connection string"));
        var db = redis.GetDatabase();

        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/api/me")).StatusCode);

        var cached = await db.StringGetAsync(key);
        Assert.True(cached.HasValue, "the session should be cached after an authenticated request");
        Assert.DoesNotContain(token, cached.ToString(), StringComparison.Ordinal);
        Assert.Contains(user.Email, cached.ToString(), StringComparison.Ordinal);
        var ttl = await db.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        var generationBefore = (long)await db.StringGetAsync(generationKey);

        using var admin = await ApiSession.AdminAsync(fixture);
        using var change = await admin.Client.PutAsync($"/api/admin/users/{user.UserId}/roles",
            new StringContent("{\"roles\":[\"user\",\"ferias\"]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);

        Assert.True((long)await db.StringGetAsync(generationKey) > generationBefore);
        using var me = await user.Client.GetAsync("/api/me");
        Assert.Contains("ferias", (await AuthTestData.JsonAsync(me)).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }
}
