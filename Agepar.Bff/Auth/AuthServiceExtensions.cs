using Agepar.Data.Protection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using StackExchange.Redis;

namespace Agepar.Bff.Auth;

public static class AuthServiceExtensions
{
    /// <summary>
    /// Session-cookie authentication (database + Redis cache), authorization policies (<see cref="AuthPolicies"/>),
    /// CSRF, login throttling, request rate limiting, Argon2id hashing, the bootstrap admin and OpenAPI security docs.
    /// </summary>
    public static IHostApplicationBuilder AddAgeparAuth(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthSessionOptions>().BindConfiguration(AuthSessionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LoginRateLimitOptions>().BindConfiguration(LoginRateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PasswordHashingOptions>().BindConfiguration(PasswordHashingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PasswordPolicyOptions>().BindConfiguration(PasswordPolicyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DenialAuditOptions>().BindConfiguration(DenialAuditOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.SectionName);

        // The CPF keys (PersonalData:*): a missing or short key fails the start here, a wrong one in PersonalDataStartupCheck.
        services.AddSingleton(sp => PersonalDataOptions.CreateProtector(sp.GetRequiredService<IConfiguration>()));
        services.AddHostedService<PersonalDataStartupCheck>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<HashMemoryRelease>();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<PasswordPolicy>();
        services.AddSingleton<SessionCache>();
        services.AddSingleton<AccessDenials>();
        services.AddSingleton<DenialAuditAggregator>();
        services.AddSingleton<AuthMetrics>();
        services.AddSingleton<AnonymousRateLimiter>();
        services.AddHostedService<DenialAuditFlusher>();
        services.AddScoped<SessionService>();
        services.AddScoped<LoginRateLimiter>();
        services.AddScoped<LoginService>();
        services.AddHostedService<BootstrapAdminService>();
        services.AddExceptionHandler<BadRequestExceptionHandler>();

        // Redis is a cache: when it is down, fail fast and let the caller use the database.
        services.PostConfigure<ConfigurationOptions>(redis =>
        {
            redis.AbortOnConnectFail = false;
            redis.BacklogPolicy = BacklogPolicy.FailFast;
            redis.ConnectTimeout = Math.Min(redis.ConnectTimeout, 2000);
            redis.SyncTimeout = Math.Min(redis.SyncTimeout, 1000);
            redis.AsyncTimeout = Math.Min(redis.AsyncTimeout, 1000);
        });

        services.AddAuthentication(SessionAuthentication.Scheme)
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionAuthentication.Scheme, null);
        services.AddAuthorization(AuthPolicies.Configure);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuditingAuthorizationResultHandler>();
        services.AddAgeparRateLimiting();

        services.AddSingleton<AuthOpenApiTransformer>();
        services.Configure<OpenApiOptions>("v1", openApi =>
        {
            openApi.AddDocumentTransformer<AuthOpenApiTransformer>();
            openApi.AddOperationTransformer<AuthOpenApiTransformer>();
        });
        return builder;
    }

    /// <summary>
    /// Anonymous budget → authentication → anonymous budget (cookies that did not authenticate) → rate limiting →
    /// CSRF → authorization, in that order: a flood is refused before it costs a session lookup, and CSRF refusals
    /// are rate limited like any other request.
    /// </summary>
    public static WebApplication UseAgeparAuth(this WebApplication app)
    {
        app.UseMiddleware<AnonymousRateLimitMiddleware>(false);
        app.UseAuthentication();
        app.UseMiddleware<AnonymousRateLimitMiddleware>(true);
        app.UseRateLimiter();
        app.UseMiddleware<CsrfMiddleware>();
        app.UseAuthorization();
        return app;
    }
}
