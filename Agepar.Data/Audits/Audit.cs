using System.Net;
using System.Text.Json;

namespace Agepar.Data.Audits;

/// <summary>
/// One audit event (table <c>audits</c>): append-only, range-partitioned by month on <see cref="OccurredAt"/>.
/// Insert only: updates and deletes are refused by a trigger and by privileges.
/// </summary>
public sealed class Audit
{
    /// <summary>Identity (<c>GENERATED ALWAYS</c>); never set it.</summary>
    public long Id { get; set; }

    /// <summary>Event time; left at its default the database uses <c>now()</c>. Selects the monthly partition.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>The acting user, if any. Not a foreign key: audits outlive users.</summary>
    public Guid? ActorUserId { get; set; }

    /// <summary>Snapshot of the actor's name.</summary>
    public string? ActorName { get; set; }

    /// <summary>Snapshot of the actor's e-mail.</summary>
    public string? ActorEmail { get; set; }

    /// <summary>Snapshot of the actor's CPF, encrypted (<see cref="Protection.CpfProtector"/>).</summary>
    public byte[]? ActorCpfEncrypted { get; set; }

    /// <summary>Blind index of the snapshot CPF (HMAC-SHA256), the value the audit chain hashes.</summary>
    public byte[]? ActorCpfHmac { get; set; }

    /// <summary>What happened, one of <see cref="AuditActions"/> (format <c>area.verb</c>, checked by the database).</summary>
    public required string Action { get; set; }

    /// <summary>Automation slug the event belongs to, if any.</summary>
    public string? Kind { get; set; }

    /// <summary>Type of the object acted on (e.g. <c>submission</c>, <c>user</c>, <c>session</c>).</summary>
    public string? ObjectType { get; set; }

    /// <summary>Identifier of the object acted on.</summary>
    public string? ObjectId { get; set; }

    /// <summary>Result, one of <see cref="AuditOutcome"/>.</summary>
    public required string Outcome { get; set; }

    /// <summary>Client address (<c>inet</c>).</summary>
    public IPAddress? Ip { get; set; }

    /// <summary>Client User-Agent.</summary>
    public string? UserAgent { get; set; }

    /// <summary>W3C trace id of the request that caused the event.</summary>
    public string? TraceId { get; set; }

    /// <summary>Extra details (<c>jsonb</c>, never null in the database; defaults to <c>{}</c>).</summary>
    public JsonDocument Metadata { get; set; } = JsonDocument.Parse("{}");
}
