using System.Text.Json;

namespace Agepar.Bff.Automations;

/// <summary>
/// One automation as the generic endpoints and the worker see it. Automations do not implement this directly: they
/// derive from <see cref="Automation{TInput}"/>, which reads the body into a typed input record, serializes that record
/// as the canonical payload and reads it back for the worker. Adding an automation is a folder with a class deriving
/// from it plus one line in <see cref="AutomationsExtensions.AddAgeparAutomations"/> (docs/automations.md).
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

    /// <summary>JSON Schema (draft 2020-12) of the submit body. Agepar.UnitTests checks it agrees with <see cref="Validate"/>.</summary>
    JsonElement InputSchema { get; }

    /// <summary>Checks the submit body and returns the typed input with its canonical payload, or every field error. Must not throw on any JSON input.</summary>
    AutomationValidation Validate(JsonElement input);

    /// <summary>
    /// The answer to a unique violation on <paramref name="constraintName"/> while storing <paramref name="accepted"/>,
    /// when that constraint is one of this automation's unique keys; null otherwise (the endpoint rethrows).
    /// </summary>
    AutomationConflict? DescribeConflict(string constraintName, AutomationValidation accepted);

    /// <summary>
    /// Does the work for one claimed submission. Throw <see cref="AutomationException"/> for a failure with a
    /// user-facing message (retried unless <see cref="AutomationException.Permanent"/>); any other exception is retried
    /// and reported as an unexpected error.
    /// </summary>
    Task<AutomationOutput> ProcessAsync(AutomationJob job, CancellationToken cancellationToken);
}
