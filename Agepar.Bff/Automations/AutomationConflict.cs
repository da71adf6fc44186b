namespace Agepar.Bff.Automations;

/// <summary>
/// A submit refused by one of the automation's unique keys: answered 409 with <paramref name="Code"/> and
/// <paramref name="Extensions"/>, and audited as <c>submission.created</c> (failure) with <c>reason</c> = the code
/// plus the same extensions.
/// </summary>
internal sealed record AutomationConflict(string Code, string Title, string Detail, IReadOnlyDictionary<string, object?> Extensions);

/// <summary>
/// A unique index over an automation's submissions (e.g. <c>ux_submissions_dfd_protocolo</c>) and how a violation is
/// explained to the user. The index itself is a migration; the automation declares it so that the generic submit
/// endpoint never needs to know it.
/// </summary>
internal sealed record UniqueKey<TInput>(string ConstraintName, Func<TInput, AutomationConflict> Describe);
