using Agepar.Bff.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace Agepar.Bff.Control;

/// <summary>SQL of the submissions panel: filters, keyset page (newest first), count and export.</summary>
internal static class SubmissionQueries
{
    public const string From = "submissions s";

    public const string Columns =
        "s.id, s.kind, s.kind_version, s.status, s.actor_user_id, s.actor_name, s.actor_email, s.attempts, s.max_attempts, " +
        "s.created_at, s.started_at, s.finished_at, s.error";

    /// <summary>The export adds the payload (JSON) as the last column.</summary>
    public const string CsvColumns = Columns + ", s.payload::text";

    /// <summary>What <c>?text=</c> searches, as one expression a trigram index can serve (docs/automations.md, "Indexes").</summary>
    public const string SearchText =
        "(coalesce(s.actor_name, '') || ' ' || coalesce(s.actor_email, '') || ' ' || coalesce(s.error, '') || ' ' || s.payload::text)";

    public static readonly string[] CsvHeader =
        ["id", "kind", "kind_version", "status", "actor_user_id", "actor_name", "actor_email", "attempts", "max_attempts", "created_at", "started_at", "finished_at", "error", "payload"];

    public static SqlWhere Where(SubmissionFilter filter, ResolvedActor? actor)
    {
        var where = new SqlWhere();
        if (filter.Kind is { } kind)
        {
            where.And($"s.kind = {where.Param(kind)}");
        }

        if (filter.Status is { } status)
        {
            where.And($"s.status = {where.Param(status)}");
        }

        if (actor?.UserId is { } userId)
        {
            where.And($"s.actor_user_id = {where.Param(userId)}");
        }
        else if (actor?.Email is { } email)
        {
            where.And($"lower(s.actor_email) = lower({where.Param(email)})");
        }
        else if (actor?.CpfHmac is { } cpfHmac)
        {
            where.And($"s.actor_cpf_hmac = {where.Param(cpfHmac)}");
        }

        if (filter.Since is { } since)
        {
            where.And($"s.created_at >= {where.Param(since, NpgsqlDbType.TimestampTz)}");
        }

        if (filter.Until is { } until)
        {
            where.And($"s.created_at < {where.Param(until, NpgsqlDbType.TimestampTz)}");
        }

        if (filter.Text is { } text)
        {
            where.And($"{SearchText} ILIKE {where.Param(LikePattern.Contains(text))}");
        }

        return where;
    }

    public static void After(SqlWhere where, DateTimeOffset at, Guid id) =>
        where.And($"(s.created_at, s.id) < ({where.Param(at, NpgsqlDbType.TimestampTz)}, {where.Param(id)})");

    public static string Select(SqlWhere where, bool limited, bool export = false) =>
        $"SELECT {(export ? CsvColumns : Columns)}\n  FROM {From}\n {where.Sql}\n ORDER BY s.created_at DESC, s.id DESC" + (limited ? "\n LIMIT @limit" : "");

    public static PanelSubmission Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        new ActorInfo(reader.GetGuid(4), Text(reader, 5), Text(reader, 6)),
        reader.GetInt32(7),
        reader.GetInt32(8),
        reader.GetFieldValue<DateTimeOffset>(9),
        reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
        reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
        Text(reader, 12));

    public static void WriteCsv(NpgsqlDataReader reader, CsvRowBuilder row)
    {
        row.Add(reader.GetGuid(0).ToString());
        row.Add(reader.GetString(1));
        row.Add(reader.GetString(2));
        row.Add(reader.GetString(3));
        row.Add(reader.GetGuid(4).ToString());
        row.Add(Text(reader, 5));
        row.Add(Text(reader, 6));
        row.Add(reader.GetInt32(7));
        row.Add(reader.GetInt32(8));
        row.Add(reader.GetFieldValue<DateTimeOffset>(9));
        row.Add(reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10));
        row.Add(reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11));
        row.Add(Text(reader, 12));
        row.Add(Text(reader, 13));
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
