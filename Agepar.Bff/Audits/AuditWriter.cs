using System.Diagnostics;
using System.Text.Json;
using Agepar.Bff.Auth;
using Agepar.Bff.Infrastructure;
using Agepar.Data;
using Agepar.Data.Audits;
using Agepar.Data.Protection;

namespace Agepar.Bff.Audits;

/// <summary>
/// The one way the BFF records an audit event. <see cref="Add"/> only stages the row on the given context, so it is
/// written in the same transaction as the change it describes (call SaveChanges as usual). The request's client IP,
/// User-Agent and trace id are filled in from the current HTTP request when there is one. Request-derived text (path,
/// User-Agent, object ids) goes through <see cref="StorableText"/>, so no odd character can make the audit fail.
/// </summary>
public sealed class AuditWriter(IHttpContextAccessor httpContextAccessor)
{
    public Audit Add(
        AgeparDbContext db,
        string action,
        string outcome,
        CurrentUser? actor = null,
        string? kind = null,
        string? objectType = null,
        string? objectId = null,
        object? metadata = null,
        ActorSnapshot? actorSnapshot = null)
    {
        var audit = Create(action, outcome, actor, kind, objectType, objectId, metadata, actorSnapshot);
        db.Audits.Add(audit);
        return audit;
    }

    /// <summary>The audit row <see cref="Add"/> would stage, for a caller that writes it itself in its own statement batch.</summary>
    public Audit Create(
        string action,
        string outcome,
        CurrentUser? actor = null,
        string? kind = null,
        string? objectType = null,
        string? objectId = null,
        object? metadata = null,
        ActorSnapshot? actorSnapshot = null)
    {
        var http = httpContextAccessor.HttpContext;
        actor ??= http?.GetCurrentUser();
        return new Audit
        {
            Action = action,
            Outcome = outcome,
            ActorUserId = actor?.Id ?? actorSnapshot?.UserId,
            ActorName = actor?.Name ?? actorSnapshot?.Name,
            ActorEmail = actor?.Email ?? actorSnapshot?.Email,
            // The stored ciphertext and blind index are copied as they are: no decryption, no extra work per audit.
            ActorCpfEncrypted = (actor?.Cpf ?? actorSnapshot?.Cpf)?.Cipher,
            ActorCpfHmac = (actor?.Cpf ?? actorSnapshot?.Cpf)?.Hmac,
            Kind = StorableText.Clean(kind),
            ObjectType = StorableText.Clean(objectType),
            ObjectId = StorableText.Clean(objectId),
            Ip = http?.Connection.RemoteIpAddress,
            UserAgent = StorableText.UserAgent(http),
            TraceId = Activity.Current?.TraceId.ToString(),
            Metadata = metadata is null ? JsonDocument.Parse("{}") : JsonSerializer.SerializeToDocument(metadata, StorableText.JsonOptions),
        };
    }
}

/// <summary>Who acted, when there is no authenticated <see cref="CurrentUser"/> (a failed login, a background worker).</summary>
public sealed record ActorSnapshot(Guid? UserId, string? Name, string? Email, SealedCpf? Cpf);
