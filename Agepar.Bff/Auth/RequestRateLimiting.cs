using System.Globalization;
using System.Threading.RateLimiting;
using Agepar.Bff.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Auth;

/// <summary>
/// ASP.NET's rate limiter against floods: a global fixed window per signed-in user (or client IP), and the
/// <see cref="LoginPolicy"/> per client IP on the login endpoint. Rejections are 429 ProblemDetails with Retry-After.
/// The durable, per-identifier login throttle is <see cref="LoginRateLimiter"/>.
/// </summary>
internal static class RequestRateLimiting
{
    public const string LoginPolicy = "login";

    public static IServiceCollection AddAgeparRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RequestRateLimitOptions>().BindConfiguration(RequestRateLimitOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var o = Options(context);
                if (!o.Enabled)
                {
                    return RateLimitPartition.GetNoLimiter("off");
                }

                var key = context.GetCurrentUser() is { } user ? "user:" + user.Id : "ip:" + LoginRateLimiter.ClientIp(context);
                return RateLimitPartition.GetFixedWindowLimiter(key, _ => Window(o.PermitLimit, o.Window));
            });
            limiter.AddPolicy(LoginPolicy, context =>
            {
                var o = Options(context);
                return o.Enabled
                    ? RateLimitPartition.GetFixedWindowLimiter("login-ip:" + LoginRateLimiter.ClientIp(context), _ => Window(o.LoginPermitLimit, o.LoginWindow))
                    : RateLimitPartition.GetNoLimiter("off");
            });
            limiter.OnRejected = async (rejected, ct) =>
            {
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    rejected.HttpContext.Response.Headers.RetryAfter =
                        Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await ApiProblems.Problem(StatusCodes.Status429TooManyRequests, ApiProblems.TooManyAttempts,
                    "Muitas requisições.", "Aguarde o tempo indicado em Retry-After antes de tentar novamente.").ExecuteAsync(rejected.HttpContext);
            };
        });
        return services;
    }

    private static RequestRateLimitOptions Options(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<RequestRateLimitOptions>>().Value;

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
