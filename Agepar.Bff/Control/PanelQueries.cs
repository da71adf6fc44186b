using Agepar.Data;
using Npgsql;

namespace Agepar.Bff.Control;

/// <summary>One page (keyset, newest first) plus the total, for audits and for submissions.</summary>
internal static class PanelQueries
{
    public static Task<PanelPage<AuditItem>> AuditPageAsync(
        AgeparDbContext db, ControlPanelOptions options, AuditFilter filter, ResolvedActor? actor,
        (DateTimeOffset At, long Id)? after, int limit, CancellationToken cancellationToken) =>
        PanelSql.ReadOnlyAsync(db, options.QueryTimeout, async (connection, ct) =>
        {
            var where = AuditQueries.Where(filter, actor);
            if (after is { } cursor)
            {
                AuditQueries.After(where, cursor.At, cursor.Id);
            }

            var items = new List<AuditItem>(limit + 1);
            await using (var command = new NpgsqlCommand(AuditQueries.Select(where, limited: true), connection))
            {
                where.Bind(command);
                command.Parameters.AddWithValue("limit", limit + 1);
                await using var reader = await command.ExecuteReaderAsync(ct);
                var rows = AuditQueries.Rows(reader);
                while (await reader.ReadAsync(ct))
                {
                    items.Add(AuditQueries.Item(rows(reader)));
                }
            }

            string? next = null;
            if (items.Count > limit)
            {
                items.RemoveAt(limit);
                next = KeysetCursor.Encode(items[^1].OccurredAt, items[^1].Id);
            }

            var total = await PanelSql.CountAsync(connection, AuditQueries.From, AuditQueries.Where(filter, actor), options.MaxExactCount, ct);
            return new PanelPage<AuditItem>(items, next, total.Count, total.IsEstimate);
        }, cancellationToken);

    public static Task<PanelPage<PanelSubmission>> SubmissionPageAsync(
        AgeparDbContext db, ControlPanelOptions options, SubmissionFilter filter, ResolvedActor? actor,
        (DateTimeOffset At, Guid Id)? after, int limit, CancellationToken cancellationToken) =>
        PanelSql.ReadOnlyAsync(db, options.QueryTimeout, async (connection, ct) =>
        {
            var where = SubmissionQueries.Where(filter, actor);
            if (after is { } cursor)
            {
                SubmissionQueries.After(where, cursor.At, cursor.Id);
            }

            var items = new List<PanelSubmission>(limit + 1);
            await using (var command = new NpgsqlCommand(SubmissionQueries.Select(where, limited: true), connection))
            {
                where.Bind(command);
                command.Parameters.AddWithValue("limit", limit + 1);
                await using var reader = await command.ExecuteReaderAsync(ct);
                var rows = SubmissionQueries.Rows(reader);
                while (await reader.ReadAsync(ct))
                {
                    items.Add(SubmissionQueries.Item(rows(reader)));
                }
            }

            string? next = null;
            if (items.Count > limit)
            {
                items.RemoveAt(limit);
                next = KeysetCursor.Encode(items[^1].CreatedAt, items[^1].Id);
            }

            var total = await PanelSql.CountAsync(connection, SubmissionQueries.From, SubmissionQueries.Where(filter, actor), options.MaxExactCount, ct);
            return new PanelPage<PanelSubmission>(items, next, total.Count, total.IsEstimate);
        }, cancellationToken);
}
