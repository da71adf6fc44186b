namespace Agepar.Data.Audits;

/// <summary>Values of <c>audits.outcome</c> (enforced by a CHECK constraint).</summary>
public static class AuditOutcome
{
    /// <summary>The action succeeded.</summary>
    public const string Success = "success";

    /// <summary>The action was attempted and failed.</summary>
    public const string Failure = "failure";

    /// <summary>The action was refused for lack of permission.</summary>
    public const string Denied = "denied";

    /// <summary>Every allowed value.</summary>
    public static IReadOnlyList<string> All { get; } = [Success, Failure, Denied];
}
