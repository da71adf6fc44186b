using System.Globalization;
using System.Threading.RateLimiting;
using Agepar.Bff.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Auth;

/// <summary>
/// The per-IP budget of anonymous traffic (<see cref="RequestRateLimitOptions.AnonymousPermitLimit"/>), spent before
/// the BFF does any work for a request: a request without a session cookie is counted before authentication; one
/// whose cookie did not authenticate (a forged or expired token costs a session lookup) is counted right after it.
/// Both draw on one bucket per IP. Refusals are 429 ProblemDetails with Retry-After, counted in
/// <c>agepar.http.anonymous_rejected</c> and never audited (a flood must not become audit rows).
/// </summary>
internal sealed class AnonymousRateLimiter : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly IOptions<RequestRateLimitOptions> _options;

    public AnonymousRateLimiter(IOptions<RequestRateLimitOptions> options)
    {
        _options = options;
        _limiter = PartitionedRateLimiter.Create<string, string>(ip => RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.AnonymousPermitLimit,
            Window = options.Value.AnonymousWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public bool Enabled => _options.Value.Enabled;

    public RateLimitLease Acquire(HttpContext context) => _limiter.AttemptAcquire(LoginRateLimiter.ClientIp(context)?.ToString() ?? "");

    public ValueTask DisposeAsync() => _limiter.DisposeAsync();
}

internal sealed class AnonymousRateLimitMiddleware(RequestDelegate next, bool afterAuthentication)
{
    private const string CountedKey = "agepar.anonymous-counted";

    public async Task InvokeAsync(HttpContext context, AnonymousRateLimiter limiter, IOptions<AuthSessionOptions> sessionOptions,
        IHostEnvironment environment, AuthMetrics metrics)
    {
        if (!limiter.Enabled || context.Items.ContainsKey(CountedKey) || IsExempt(context))
        {
            await next(context);
            return;
        }

        var anonymous = afterAuthentication
            ? context.GetCurrentUser() is null
            : !context.Request.Cookies.ContainsKey(SessionCookie.Name(sessionOptions.Value, SessionCookie.IsSecure(environment)));
        if (!anonymous)
        {
            await next(context);
            return;
        }

        context.Items[CountedKey] = true;
        using var lease = limiter.Acquire(context);
        if (lease.IsAcquired)
        {
            await next(context);
            return;
        }

        metrics.AnonymousRejected();
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        await ApiProblems.Problem(StatusCodes.Status429TooManyRequests, ApiProblems.TooManyAttempts,
            "Muitas requisições.", "Aguarde o tempo indicado em Retry-After antes de tentar novamente.").ExecuteAsync(context);
    }

    /// <summary>Endpoints that opted out of rate limiting (health probes, the token-guarded /metrics).</summary>
    private static bool IsExempt(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is not null;
}
