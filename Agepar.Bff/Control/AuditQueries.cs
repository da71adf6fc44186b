using System.Data.Common;
using System.Text.Json;
using Agepar.Bff.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace Agepar.Bff.Control;

/// <summary>SQL of the audit panel: filters, keyset page (newest first), count and export.</summary>
internal static class AuditQueries
{
    public const string From = "audits a";

    public const string Columns =
        "a.id, a.occurred_at, a.actor_user_id, a.actor_name, a.actor_email, a.action, a.kind, a.object_type, a.object_id, " +
        "a.outcome, host(a.ip) AS ip, a.user_agent, a.trace_id, a.metadata::text AS metadata, a.actor_cpf_encrypted, a.actor_cpf_hmac";

    /// <summary>
    /// What <c>?text=</c> searches, as one expression so that a trigram index on exactly this expression can serve it
    /// (docs/automations.md, "Indexes").
    /// </summary>
    public const string SearchText =
        "(coalesce(a.actor_name, '') || ' ' || coalesce(a.actor_email, '') || ' ' || coalesce(a.object_id, '') || ' ' || a.metadata::text)";

    public static readonly string[] CsvHeader =
        ["id", "occurred_at", "actor_user_id", "actor_name", "actor_email", "action", "kind", "object_type", "object_id", "outcome", "ip", "user_agent", "trace_id", "metadata", "actor_cpf"];

    /// <summary>The export, in <see cref="CsvHeader"/> order: the CPF's ciphertext and blind index become one column.</summary>
    public static readonly CsvCopySource CsvCopy = new(
        $"SELECT {Columns}\n  FROM {From}",
        "a.occurred_at",
        "a.id",
        "bigint",
        [
            CsvCopyColumn.Text, CsvCopyColumn.Timestamp, CsvCopyColumn.Text, CsvCopyColumn.Text, CsvCopyColumn.Text, CsvCopyColumn.Text,
            CsvCopyColumn.Text, CsvCopyColumn.Text, CsvCopyColumn.Text, CsvCopyColumn.Text, CsvCopyColumn.Text, CsvCopyColumn.Text,
            CsvCopyColumn.Text, CsvCopyColumn.Text, CsvCopyColumn.Cpf,
        ],
        AtField: 1,
        IdField: 0);

    public static SqlWhere Where(AuditFilter filter, ResolvedActor? actor)
    {
        var where = new SqlWhere();
        if (filter.Kind is { } kind)
        {
            where.And($"a.kind = {where.Param(kind)}");
        }

        if (filter.Action is { } action)
        {
            where.And($"a.action = {where.Param(action)}");
        }

        if (filter.Outcome is { } outcome)
        {
            where.And($"a.outcome = {where.Param(outcome)}");
        }

        if (actor?.UserId is { } userId)
        {
            where.And($"a.actor_user_id = {where.Param(userId)}");
        }
        else if (actor?.Email is { } email)
        {
            where.And($"lower(a.actor_email) = lower({where.Param(email)})");
        }
        else if (actor?.CpfHmac is { } cpfHmac)
        {
            where.And($"a.actor_cpf_hmac = {where.Param(cpfHmac)}");
        }

        if (filter.ObjectType is { } objectType)
        {
            where.And($"a.object_type = {where.Param(objectType)}");
        }

        if (filter.ObjectId is { } objectId)
        {
            where.And($"a.object_id = {where.Param(objectId)}");
        }

        if (filter.Since is { } since)
        {
            where.And($"a.occurred_at >= {where.Param(since, NpgsqlDbType.TimestampTz)}");
        }

        if (filter.Until is { } until)
        {
            where.And($"a.occurred_at < {where.Param(until, NpgsqlDbType.TimestampTz)}");
        }

        if (filter.Text is { } text)
        {
            where.And($"{SearchText} ILIKE {where.Param(LikePattern.Contains(text))}");
        }

        return where;
    }

    /// <summary>Adds the keyset condition "after the cursor row" (newest first).</summary>
    public static void After(SqlWhere where, DateTimeOffset at, long id) =>
        where.And($"(a.occurred_at, a.id) < ({where.Param(at, NpgsqlDbType.TimestampTz)}, {where.Param(id)})");

    public static string Select(SqlWhere where, bool limited) =>
        $"SELECT {Columns}\n  FROM {From}\n {where.Sql}\n ORDER BY a.occurred_at DESC, a.id DESC" + (limited ? "\n LIMIT @limit" : "");

    /// <summary>Maps the rows of <see cref="Select"/> by column name; take one per result and call it per row.</summary>
    public static Func<DbDataReader, AuditRow> Rows(DbDataReader reader) => SqlRows.Parser<AuditRow>(reader);

    public static AuditItem Item(AuditRow row, CpfView cpf)
    {
        using var metadata = JsonDocument.Parse(row.Metadata);
        return new AuditItem(
            row.Id,
            row.At,
            new ActorInfo(row.ActorUserId, row.ActorName, row.ActorEmail, cpf.Of(row.ActorCpfEncrypted, row.ActorCpfHmac)),
            row.Action,
            row.Kind,
            row.ObjectType,
            row.ObjectId,
            row.Outcome,
            row.Ip,
            row.UserAgent,
            row.TraceId,
            metadata.RootElement.Clone());
    }
}

/// <summary>A row of <see cref="AuditQueries.Columns"/>, mapped by column name.</summary>
internal sealed class AuditRow
{
    public long Id { get; set; }

    /// <summary>timestamptz, read by Npgsql as a UTC <see cref="DateTime"/>.</summary>
    public DateTime OccurredAt { get; set; }

    public DateTimeOffset At => new(OccurredAt, TimeSpan.Zero);

    public Guid? ActorUserId { get; set; }

    public string? ActorName { get; set; }

    public string? ActorEmail { get; set; }

    public string Action { get; set; } = "";

    public string? Kind { get; set; }

    public string? ObjectType { get; set; }

    public string? ObjectId { get; set; }

    public string Outcome { get; set; } = "";

    /// <summary><c>host(a.ip)</c>: the address without a prefix length.</summary>
    public string? Ip { get; set; }

    public string? UserAgent { get; set; }

    public string? TraceId { get; set; }

    /// <summary>The JSON as text.</summary>
    public string Metadata { get; set; } = "{}";

    /// <summary>The actor CPF's ciphertext and blind index (both null when the actor had none).</summary>
    public byte[]? ActorCpfEncrypted { get; set; }

    public byte[]? ActorCpfHmac { get; set; }
}
