using Microsoft.AspNetCore.Http.HttpResults;

namespace Agepar.Bff.Automations.Endpoints;

/// <summary>The ProblemDetails answers the automation endpoints share.</summary>
internal static class Problems
{
    public static ProblemHttpResult UnknownAutomation(string slug) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown automation.", detail: $"There is no automation '{Shorten(slug)}'.");

    /// <summary>Also the answer for someone else's submission: existence is not revealed.</summary>
    public static ProblemHttpResult SubmissionNotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Submission not found.");

    public static ProblemHttpResult Conflict(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail, extensions: extensions);

    /// <summary>At most 60 characters, never cutting a surrogate pair in half (the detail must stay valid UTF-16).</summary>
    private static string Shorten(string text) =>
        text.Length <= 60 ? text : text[..(char.IsHighSurrogate(text[59]) ? 59 : 60)] + "…";
}
