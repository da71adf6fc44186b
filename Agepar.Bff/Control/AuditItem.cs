using System.Text.Json;
using Agepar.Bff.Infrastructure;

namespace Agepar.Bff.Control;

/// <summary>One audit row as the panel shows it.</summary>
internal sealed record AuditItem(
    long Id,
    DateTimeOffset OccurredAt,
    ActorInfo Actor,
    string Action,
    string? Kind,
    string? ObjectType,
    string? ObjectId,
    string Outcome,
    string? Ip,
    string? UserAgent,
    string? TraceId,
    JsonElement Metadata);
