using System.ComponentModel.DataAnnotations;

namespace Agepar.Bff.Maintenance;

/// <summary>
/// Periodic database housekeeping run by every BFF replica (configuration section <c>Maintenance</c>): keep the monthly
/// audit partitions ahead and delete expired sessions and old login attempts. Running it on several replicas at once
/// is safe: partition creation serializes on a table lock and the deletes are idempotent.
/// </summary>
public sealed class MaintenanceOptions : IValidatableObject
{
    public const string SectionName = "Maintenance";

    /// <summary>Run the periodic job in this process (the admin endpoint works either way).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between runs; the first run starts <see cref="StartupDelay"/> after the BFF starts.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Delay before the first run, so a starting replica serves traffic first.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StartupDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Monthly audit partitions kept ready beyond the current month (0–12).</summary>
    [Range(0, 12)]
    public int AuditPartitionsAhead { get; set; } = 3;

    /// <summary>A session is deleted this long after it expired or was revoked.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan SessionRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Login attempts older than this are deleted (must cover the login throttle's window; 1 day at least).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan LoginAttemptRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Rows deleted per statement (each batch is its own short transaction).</summary>
    [Range(100, 100_000)]
    public int DeleteBatchSize { get; set; } = 5_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StartupDelay > Interval)
        {
            yield return new ValidationResult("StartupDelay must not be longer than Interval.", [nameof(StartupDelay)]);
        }
    }
}
