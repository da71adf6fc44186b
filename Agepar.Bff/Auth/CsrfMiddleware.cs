using Agepar.Bff.Infrastructure;

namespace Agepar.Bff.Auth;

/// <summary>
/// Anti-forgery for every unsafe request (POST, PUT, PATCH, DELETE) authenticated by the session cookie, whatever
/// the endpoint: the <c>X-CSRF-Token</c> header must carry the session's token (SHA-256 compared in constant time
/// with <c>sessions.csrf_token_hash</c>). Otherwise 403 <c>csrf_token_invalid</c>, audited as an access denial.
/// </summary>
internal sealed class CsrfMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, AccessDenials denials)
    {
        if (IsUnsafe(context.Request.Method)
            && context.Features.Get<AuthenticatedSession>() is { } authenticated
            && context.GetEndpoint()?.Metadata.GetMetadata<CsrfExemptMetadata>() is null
            && !SessionTokens.Matches(context.Request.Headers[SessionAuthentication.CsrfHeaderName].ToString(), authenticated.Session.CsrfTokenHash))
        {
            await denials.RefuseAsync(context, StatusCodes.Status403Forbidden, ApiProblems.CsrfTokenInvalid,
                "Token CSRF ausente ou inválido.",
                $"Envie o token da sessão no cabeçalho {SessionAuthentication.CsrfHeaderName} (GET /api/auth/csrf).");
            return;
        }

        await next(context);
    }

    private static bool IsUnsafe(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));
}
