using Microsoft.AspNetCore.Http.HttpResults;

namespace Agepar.Bff.Infrastructure;

/// <summary>
/// The one place the BFF's problem types are defined: every 4xx/5xx ProblemDetails carries a stable English
/// <c>code</c> for clients (listed here, and in docs/api-errors.md) and a Portuguese <c>title</c>/<c>detail</c> for the
/// portal's users. Feature folders answer through these factories instead of calling <c>TypedResults.Problem</c>.
/// An automation's own conflicts (<see cref="Automations.AutomationConflict"/>) bring their code with them.
/// </summary>
public static class ApiProblems
{
    // Authentication and authorization (401/403/429).
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string PasswordChangeRequired = "password_change_required";
    public const string CsrfTokenInvalid = "csrf_token_invalid";
    public const string InvalidCredentials = "invalid_credentials";
    public const string UserBlocked = "user_blocked";
    public const string UserPending = "user_pending";
    public const string TooManyAttempts = "too_many_attempts";
    public const string SessionNotFound = "session_not_found";

    // User administration.
    public const string UserNotFound = "user_not_found";
    public const string EmailTaken = "email_taken";
    public const string CpfTaken = "cpf_taken";
    public const string CannotBlockSelf = "cannot_block_self";
    public const string LastAdmin = "last_admin";
    public const string SuperuserProtected = "superuser_protected";

    // Request shape (400/413/415) and the database (503).
    public const string InvalidRequest = "invalid_request";
    public const string BodyTooLarge = "body_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string DatabaseUnavailable = "database_unavailable";

    // Automations and submissions.
    public const string UnknownAutomation = "unknown_automation";
    public const string SubmissionNotFound = "submission_not_found";
    public const string FileNotFound = "file_not_found";
    public const string NotReady = "not_ready";
    public const string NotCancellable = "not_cancellable";
    public const string IdempotencyKeyReused = "idempotency_key_reused";

    // Answers no endpoint wrote (no route, wrong method, an unexpected exception): see CodeForStatus.
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string ServerError = "server_error";
    public const string Error = "error";

    // Control panel.
    public const string QueryTooBroad = "query_too_broad";
    public const string TooManyExports = "too_many_exports";

    /// <summary>A ProblemDetails with its <c>code</c> (plus any other extension members).</summary>
    public static ProblemHttpResult Problem(int status, string code, string title, string? detail = null, IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    {
        var members = new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = code };
        foreach (var (key, value) in extensions ?? [])
        {
            members[key] = value;
        }

        return TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: members);
    }

    /// <summary>400 naming every bad field by its path (<c>errors</c>), with <c>code: invalid_request</c>.</summary>
    public static ValidationProblem Validation(IEnumerable<KeyValuePair<string, string[]>> errors, string title = "A requisição tem campos inválidos.") =>
        TypedResults.ValidationProblem(errors, title: title, extensions: new Dictionary<string, object?> { ["code"] = InvalidRequest });

    /// <summary>400 for one bad field.</summary>
    public static ValidationProblem Validation(string field, string message, string title = "A requisição tem campos inválidos.") =>
        Validation(new Dictionary<string, string[]> { [field] = [message] }, title);

    public static ProblemHttpResult UnknownAutomationProblem(string slug) =>
        Problem(StatusCodes.Status404NotFound, UnknownAutomation, "Automação desconhecida.", $"Não existe a automação '{Shorten(slug)}'.");

    /// <summary>Also the answer for someone else's submission: existence is not revealed.</summary>
    public static ProblemHttpResult SubmissionNotFoundProblem() =>
        Problem(StatusCodes.Status404NotFound, SubmissionNotFound, "Submissão não encontrada.");

    public static ProblemHttpResult Conflict(string code, string title, string? detail = null, IEnumerable<KeyValuePair<string, object?>>? extensions = null) =>
        Problem(StatusCodes.Status409Conflict, code, title, detail, extensions);

    /// <summary>A list or export that ran past its statement timeout.</summary>
    public static ProblemHttpResult QueryTooBroadProblem(TimeSpan timeout) =>
        Problem(StatusCodes.Status422UnprocessableEntity, QueryTooBroad, "A consulta é ampla demais.",
            $"Levou mais de {timeout.TotalSeconds:0} s. Restrinja com kind, action, actor ou um intervalo since/until.");

    /// <summary>
    /// The code of a ProblemDetails that was written without one (status-code pages for an unmatched route or method,
    /// the exception handler), so that every problem body carries a <c>code</c>.
    /// </summary>
    public static string CodeForStatus(int? status) => status switch
    {
        StatusCodes.Status400BadRequest => InvalidRequest,
        StatusCodes.Status401Unauthorized => Unauthenticated,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => BodyTooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status429TooManyRequests => TooManyAttempts,
        StatusCodes.Status503ServiceUnavailable => DatabaseUnavailable,
        >= 500 => ServerError,
        _ => Error,
    };

    /// <summary>At most 60 characters, never cutting a surrogate pair in half (the detail must stay valid UTF-16).</summary>
    public static string Shorten(string text) =>
        text.Length <= 60 ? text : text[..(char.IsHighSurrogate(text[59]) ? 59 : 60)] + "…";
}
