namespace Agepar.Data.Submissions;

/// <summary>Values of <c>submissions.status</c> (enforced by a CHECK constraint).</summary>
public static class SubmissionStatus
{
    /// <summary>Waiting for a worker (claimable once <c>run_after &lt;= now()</c>).</summary>
    public const string Queued = "queued";

    /// <summary>Leased by a worker.</summary>
    public const string Running = "running";

    /// <summary>Finished successfully; <c>result</c> is set.</summary>
    public const string Done = "done";

    /// <summary>Failed for good; <c>error</c> is set.</summary>
    public const string Error = "error";

    /// <summary>Cancelled by the owner or an operator.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Every allowed value.</summary>
    public static IReadOnlyList<string> All { get; } = [Queued, Running, Done, Error, Cancelled];
}
