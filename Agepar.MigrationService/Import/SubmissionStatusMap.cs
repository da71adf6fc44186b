using Agepar.Data.Submissions;

namespace Agepar.MigrationService.Import;

/// <summary>Old submission statuses → this platform's (docs/import.md has the table).</summary>
internal static class SubmissionStatusMap
{
    /// <summary>
    /// The mapped status, or null for an unknown one. <c>queued</c>/<c>running</c> rows of the old portal never finish
    /// (its background tasks died with the process, §4.2): importing them as claimable would make the new worker run
    /// months-old requests with today's engine, so they become <c>error</c> with an explanation.
    /// </summary>
    public static (string Status, string? Error)? Map(string? old) => old?.Trim().ToLowerInvariant() switch
    {
        "done" or "success" or "ok" or "completed" => (SubmissionStatus.Done, null),
        "error" or "failed" or "timeout" => (SubmissionStatus.Error, null),
        "cancelled" or "canceled" => (SubmissionStatus.Cancelled, null),
        "queued" or "pending" or "submitted" or "running" or "processing" =>
            (SubmissionStatus.Error, $"Importada do portal anterior com status '{old!.Trim()}': a execução nunca terminou lá e não foi repetida."),
        _ => null,
    };
}
