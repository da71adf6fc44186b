namespace Agepar.Bench;

/// <summary>One measured submission (milliseconds, and the server's timestamps).</summary>
internal sealed record Run(
    double SubmitMs, double EndToEndMs, double QueueWaitMs, double ProcessingMs, DateTimeOffset CreatedAt, DateTimeOffset FinishedAt);
