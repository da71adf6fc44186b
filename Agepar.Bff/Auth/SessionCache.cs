using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Agepar.Bff.Auth;

/// <summary>
/// Redis cache of session → principal lookups, keyed by the token's SHA-256 (never the token). Each user has a
/// generation counter; any change to the user or their sessions increments it, which invalidates every cached entry of
/// theirs at once (an entry read from the database before the change carries the old generation and is ignored).
/// Redis is optional: every error is swallowed, the cache is then skipped for a short while and the caller goes to
/// the database. If an invalidation could not reach Redis, this instance reads only from the database until any
/// entry that could be stale has expired.
/// </summary>
public sealed partial class SessionCache(
    IConnectionMultiplexer redis, IOptions<AuthSessionOptions> options, TimeProvider time, ILogger<SessionCache> logger)
{
    private const string Prefix = "agepar:auth:";
    private const string GenerationKeyPrefix = Prefix + "user-gen:";

    // The session entry and the generation of the user it names, read in one round trip (EVALSHA once cached). The
    // generation key comes from the entry, so it is not declared in KEYS: fine on a single Redis (what the AppHost and
    // the manifest deploy), not on Redis Cluster. A missing generation counts as 0, as in GetGenerationAsync.
    private const string LookupScript = """
        local v = redis.call('GET', KEYS[1])
        if not v then return false end
        local ok, entry = pcall(cjson.decode, v)
        if not ok or type(entry) ~= 'table' or type(entry.UserId) ~= 'string' then return false end
        local user = string.gsub(entry.UserId, '-', '')
        return { v, redis.call('GET', ARGV[1] .. user) }
        """;
    private long _skipUntilTicks;
    private long _distrustUntilTicks;

    /// <summary>False while Redis is being skipped after an error.</summary>
    public bool Available => !Skipping();

    /// <summary>The user's current generation, or null when Redis is unavailable.</summary>
    public async Task<long?> GetGenerationAsync(Guid userId)
    {
        if (Skipping())
        {
            return null;
        }

        try
        {
            var value = await redis.GetDatabase().StringGetAsync(GenerationKey(userId));
            return value.TryParse(out long generation) ? generation : 0;
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Fail(ex);
            return null;
        }
    }

    /// <summary>The cached entry for <paramref name="tokenHash"/> if present and still current; null otherwise.</summary>
    public async Task<CachedSession?> GetAsync(byte[] tokenHash)
    {
        if (Skipping() || time.GetUtcNow().UtcTicks < Interlocked.Read(ref _distrustUntilTicks))
        {
            return null;
        }

        try
        {
            // One round trip: the entry and its user's current generation (LookupScript).
            var reply = await redis.GetDatabase().ScriptEvaluateAsync(
                LookupScript, [SessionKey(tokenHash)], [(RedisValue)GenerationKeyPrefix]);
            if (reply.IsNull || (RedisResult[]?)reply is not [var value, var generation] || value.IsNull
                || JsonSerializer.Deserialize<CachedSession>(value.ToString()) is not { } entry)
            {
                return null;
            }

            var current = ((RedisValue)generation).TryParse(out long g) ? g : 0;
            return current == entry.Generation ? entry : null;
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Fail(ex);
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async Task SetAsync(byte[] tokenHash, CachedSession entry)
    {
        var ttl = options.Value.CacheTtl;
        var untilExpiry = entry.ExpiresAt - time.GetUtcNow();
        if (untilExpiry < ttl)
        {
            ttl = untilExpiry;
        }

        if (ttl <= TimeSpan.Zero || Skipping())
        {
            return;
        }

        try
        {
            await redis.GetDatabase().StringSetAsync(SessionKey(tokenHash), JsonSerializer.Serialize(entry), ttl);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Fail(ex);
        }
    }

    /// <summary>Invalidates every cached session of the user (and removes <paramref name="tokenHash"/>'s entry if given).</summary>
    public async Task InvalidateUserAsync(Guid userId, byte[]? tokenHash = null)
    {
        try
        {
            var db = redis.GetDatabase();
            // The counter outlives every entry it guards; it is refreshed on each change.
            await db.StringIncrementAsync(GenerationKey(userId));
            await db.KeyExpireAsync(GenerationKey(userId), options.Value.AbsoluteLifetime + options.Value.CacheTtl);
            if (tokenHash is not null)
            {
                await db.KeyDeleteAsync(SessionKey(tokenHash));
            }
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            // Entries written before this moment may be stale: read only from the database until they have expired.
            Interlocked.Exchange(ref _distrustUntilTicks, (time.GetUtcNow() + options.Value.CacheTtl).UtcTicks);
            Fail(ex);
        }
    }

    private bool Skipping() => time.GetUtcNow().UtcTicks < Interlocked.Read(ref _skipUntilTicks);

    private void Fail(Exception ex)
    {
        var until = (time.GetUtcNow() + options.Value.CacheRetryAfterFailure).UtcTicks;
        if (Interlocked.Exchange(ref _skipUntilTicks, until) < time.GetUtcNow().UtcTicks)
        {
            LogRedisUnavailable(ex.GetBaseException().Message, options.Value.CacheRetryAfterFailure);
        }
    }

    private static bool IsRedisFailure(Exception ex) => ex is RedisException or TimeoutException or ObjectDisposedException;

    private static RedisKey SessionKey(byte[] tokenHash) => Prefix + "session:" + WebEncoders.Base64UrlEncode(tokenHash);

    private static RedisKey GenerationKey(Guid userId) => GenerationKeyPrefix + userId.ToString("N");

    [LoggerMessage(LogLevel.Warning, "Redis session cache unavailable ({Reason}); using the database only for {RetryAfter}")]
    private partial void LogRedisUnavailable(string reason, TimeSpan retryAfter);
}
