using Microsoft.AspNetCore.Http.HttpResults;

namespace Agepar.Bff.Auth;

/// <summary>ProblemDetails of the auth endpoints, each with a stable machine-readable <c>code</c>.</summary>
public static class AuthProblems
{
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string PasswordChangeRequired = "password_change_required";
    public const string CsrfTokenInvalid = "csrf_token_invalid";
    public const string InvalidCredentials = "invalid_credentials";
    public const string UserBlocked = "user_blocked";
    public const string UserPending = "user_pending";
    public const string TooManyAttempts = "too_many_attempts";

    public static ProblemHttpResult Problem(int status, string code, string title, string? detail = null) =>
        TypedResults.Problem(
            statusCode: status,
            title: title,
            detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = code });
}
