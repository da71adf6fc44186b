using System.Text.Json;

namespace Agepar.Bff.Automations;

/// <summary>
/// One automation: validates its input, then (later, in the queue worker) turns the normalized payload into a result
/// and optionally a file. Adding an automation is one class implementing this plus one line in
/// <see cref="AutomationsExtensions.AddAgeparAutomations"/>.
/// </summary>
internal interface IAutomation
{
    /// <summary>URL segment and <c>submissions.kind</c> (lower case, e.g. <c>dfd</c>).</summary>
    string Slug { get; }

    /// <summary>Version stored with each submission (<c>submissions.kind_version</c>).</summary>
    string Version { get; }

    /// <summary>Human title for the catalog.</summary>
    string Title { get; }

    /// <summary>One-sentence description for the catalog.</summary>
    string Description { get; }

    /// <summary>Roles that may use it (any of them); empty means every signed-in user. Admin and superuser always may.</summary>
    IReadOnlyList<string> RequiredRoles { get; }

    /// <summary>JSON Schema (draft 2020-12) of the submit body.</summary>
    JsonElement InputSchema { get; }

    /// <summary>Checks the submit body and returns the normalized payload, or every field error. Must not throw on any JSON input.</summary>
    AutomationValidation Validate(JsonElement input);

    /// <summary>
    /// Does the work for one claimed submission. Throw <see cref="AutomationException"/> for a failure with a
    /// user-facing message (retried unless <see cref="AutomationException.Permanent"/>); any other exception is retried
    /// and reported as an unexpected error.
    /// </summary>
    Task<AutomationOutput> ProcessAsync(AutomationJob job, CancellationToken cancellationToken);
}
