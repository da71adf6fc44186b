using System.Data.Common;
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


    /// <summary>What <c>?text=</c> searches, as one expression a trigram index can serve (docs/automations.md, "Indexes").</summary>
    public const string SearchText =
        "(coalesce(s.actor_name, '') || ' ' || coalesce(s.actor_email, '') || ' ' || coalesce(s.error, '') || ' ' || s.payload::text)";

    public static readonly string[] CsvHeader =
        ["id", "kind", "kind_version", "status", "actor_user_id", "actor_name", "actor_email", "attempts", "max_attempts", "created_at", "started_at", "finished_at", "error", "payload"];

    /// <summary>The export: the page columns plus the payload (JSON), in <see cref="CsvHeader"/> order.</summary>
    public static readonly CsvCopySource CsvCopy = new(
        $"SELECT {Columns}, s.payload::text\n  FROM {From}",
        "s.created_at",
        "s.id",
        "uuid",
        [
            CsvCopyColumn.Text, CsvCopyColumn.Text, CsvCopyColumn.Text, CsvCopyColumn.Text, CsvCopyColumn.Text, CsvCopyColumn.Text,
            CsvCopyColumn.Text, CsvCopyColumn.Text, CsvCopyColumn.Text, CsvCopyColumn.Timestamp, CsvCopyColumn.Timestamp,
            CsvCopyColumn.Timestamp, CsvCopyColumn.Text, CsvCopyColumn.Text,
        ],
        AtField: 9,
        IdField: 0);

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

    public static string Select(SqlWhere where, bool limited) =>
        $"SELECT {Columns}\n  FROM {From}\n {where.Sql}\n ORDER BY s.created_at DESC, s.id DESC" + (limited ? "\n LIMIT @limit" : "");

    /// <summary>Maps the rows of <see cref="Select"/> by column name; take one per result and call it per row.</summary>
    public static Func<DbDataReader, SubmissionRow> Rows(DbDataReader reader) => SqlRows.Parser<SubmissionRow>(reader);

    public static PanelSubmission Item(SubmissionRow row) => new(
        row.Id,
        row.Kind,
        row.KindVersion,
        row.Status,
        new ActorInfo(row.ActorUserId, row.ActorName, row.ActorEmail),
        row.Attempts,
        row.MaxAttempts,
        row.Created,
        Utc(row.StartedAt),
        Utc(row.FinishedAt),
        row.Error);

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? new DateTimeOffset(v, TimeSpan.Zero) : null;
}

/// <summary>A row of <see cref="SubmissionQueries.Columns"/>, mapped by column name.</summary>
internal class SubmissionRow
{
    public Guid Id { get; set; }

    public string Kind { get; set; } = "";

    public string KindVersion { get; set; } = "";

    public string Status { get; set; } = "";

    public Guid ActorUserId { get; set; }

    public string? ActorName { get; set; }

    public string? ActorEmail { get; set; }

    public int Attempts { get; set; }

    public int MaxAttempts { get; set; }

    /// <summary>timestamptz columns are read by Npgsql as UTC <see cref="DateTime"/>s.</summary>
    public DateTime CreatedAt { get; set; }

    public DateTimeOffset Created => new(CreatedAt, TimeSpan.Zero);

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public string? Error { get; set; }
}
