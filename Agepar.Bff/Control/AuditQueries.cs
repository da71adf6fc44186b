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
        "a.outcome, host(a.ip), a.user_agent, a.trace_id, a.metadata::text, a.actor_cpf_encrypted, a.actor_cpf_hmac";

    /// <summary>
    /// What <c>?text=</c> searches, as one expression so that a trigram index on exactly this expression can serve it
    /// (docs/automations.md, "Indexes").
    /// </summary>
    public const string SearchText =
        "(coalesce(a.actor_name, '') || ' ' || coalesce(a.actor_email, '') || ' ' || coalesce(a.object_id, '') || ' ' || a.metadata::text)";

    public static readonly string[] CsvHeader =
        ["id", "occurred_at", "actor_user_id", "actor_name", "actor_email", "action", "kind", "object_type", "object_id", "outcome", "ip", "user_agent", "trace_id", "metadata", "actor_cpf"];

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

    public static AuditItem Read(NpgsqlDataReader reader, CpfView cpf)
    {
        using var metadata = JsonDocument.Parse(reader.GetString(13));
        return new AuditItem(
            reader.GetInt64(0),
            reader.GetFieldValue<DateTimeOffset>(1),
            new ActorInfo(reader.IsDBNull(2) ? null : reader.GetGuid(2), Text(reader, 3), Text(reader, 4), cpf.Read(reader, 14)),
            reader.GetString(5),
            Text(reader, 6),
            Text(reader, 7),
            Text(reader, 8),
            reader.GetString(9),
            Text(reader, 10),
            Text(reader, 11),
            Text(reader, 12),
            metadata.RootElement.Clone());
    }

    public static void WriteCsv(NpgsqlDataReader reader, CsvRowBuilder row, CpfView cpf)
    {
        row.Add(reader.GetInt64(0));
        row.Add(reader.GetFieldValue<DateTimeOffset>(1));
        row.Add(reader.IsDBNull(2) ? null : reader.GetGuid(2).ToString());
        for (var i = 3; i <= 13; i++)
        {
            row.Add(Text(reader, i));
        }

        row.Add(cpf.Read(reader, 14));
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
