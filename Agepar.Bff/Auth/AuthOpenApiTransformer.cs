using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Agepar.Bff.Auth;

/// <summary>
/// Documents authentication in the OpenAPI document: the session cookie and CSRF header as security schemes, and on
/// every operation that requires authorization its security requirement (cookie; plus the CSRF header for unsafe
/// methods), the policy in the description and the 401/403 ProblemDetails responses.
/// </summary>
internal sealed class AuthOpenApiTransformer(IOptions<AuthSessionOptions> sessionOptions, IHostEnvironment environment)
    : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string CookieScheme = "sessionCookie";
    public const string CsrfScheme = "csrfHeader";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = SessionCookie.Name(sessionOptions.Value, SessionCookie.IsSecure(environment)),
            Description = "Opaque session token set by POST /api/auth/login (HttpOnly, SameSite=Lax, Secure outside Development).",
        };
        document.Components.SecuritySchemes[CsrfScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = SessionAuthentication.CsrfHeaderName,
            Description = "Anti-forgery token of the session (login response or GET /api/auth/csrf), required on POST/PUT/PATCH/DELETE.",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        var policies = metadata.OfType<AuthorizationPolicy>().ToList();
        if (metadata.OfType<IAllowAnonymous>().Any() || (authorize.Count == 0 && policies.Count == 0))
        {
            return Task.CompletedTask;
        }

        var names = authorize.Select(a => a.Policy ?? (a.Roles is { } roles ? "roles " + roles : AuthPolicies.Active))
            .Concat(policies.SelectMany(p => p.Requirements).OfType<AnyRoleRequirement>().Select(r => r.ToString()))
            .Distinct().ToList();
        var unsafeMethod = context.Description.HttpMethod is { } method && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method);

        var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, context.Document)] = [] };
        if (unsafeMethod)
        {
            requirement[new OpenApiSecuritySchemeReference(CsrfScheme, context.Document)] = [];
        }

        operation.Security = [requirement];
        var note = $"Authorization: {string.Join(", ", names)}." + (unsafeMethod ? $" Requires the {SessionAuthentication.CsrfHeaderName} header." : "");
        operation.Description = string.IsNullOrEmpty(operation.Description) ? note : operation.Description + "\n\n" + note;
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions["x-agepar-authorization"] = new JsonNodeExtension(new System.Text.Json.Nodes.JsonArray([.. names.Select(n => (System.Text.Json.Nodes.JsonNode?)n)]));
        operation.Responses ??= new OpenApiResponses();
        operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Not signed in, or the session expired or was revoked (ProblemDetails, code unauthenticated)." });
        operation.Responses.TryAdd("403", new OpenApiResponse
        {
            Description = "Not allowed (ProblemDetails; code forbidden, password_change_required or csrf_token_invalid).",
        });
        return Task.CompletedTask;
    }
}
