using Agepar.Bff.Infrastructure;
using Agepar.Data;
using Npgsql;

namespace Agepar.Bff.Control;

/// <summary>One page (keyset, newest first) plus the total, for audits and for submissions.</summary>
internal static class PanelQueries
{
    public static Task<Page<AuditItem>> AuditPageAsync(
        AgeparDbContext db, ControlPanelOptions options, AuditFilter filter, ResolvedActor? actor,
        PageRequest<long> page, CpfView cpf, CancellationToken cancellationToken) =>
        PanelSql.ReadOnlyAsync(db, options.QueryTimeout, async (connection, ct) =>
        {
            var where = AuditQueries.Where(filter, actor);
            if (page.After is { } cursor)
            {
                AuditQueries.After(where, cursor.At, cursor.Id);
            }

            var items = new List<AuditItem>(page.Limit + 1);
            await using (var command = new NpgsqlCommand(AuditQueries.Select(where, limited: true), connection))
            {
                where.Bind(command);
                command.Parameters.AddWithValue("limit", page.Limit + 1);
                await using var reader = await command.ExecuteReaderAsync(ct);
                var rows = AuditQueries.Rows(reader);
                while (await reader.ReadAsync(ct))
                {
                    items.Add(AuditQueries.Item(rows(reader), cpf));
                }
            }

            var total = await PanelSql.CountAsync(connection, AuditQueries.From, AuditQueries.Where(filter, actor), options.MaxExactCount, ct);
            return page.ToPage(items, i => new KeysetPosition<long>(i.OccurredAt, i.Id), total.Count, total.IsEstimate);
        }, cancellationToken);

    public static Task<Page<PanelSubmission>> SubmissionPageAsync(
        AgeparDbContext db, ControlPanelOptions options, SubmissionFilter filter, ResolvedActor? actor,
        PageRequest<Guid> page, CancellationToken cancellationToken) =>
        PanelSql.ReadOnlyAsync(db, options.QueryTimeout, async (connection, ct) =>
        {
            var where = SubmissionQueries.Where(filter, actor);
            if (page.After is { } cursor)
            {
                SubmissionQueries.After(where, cursor.At, cursor.Id);
            }

            var items = new List<PanelSubmission>(page.Limit + 1);
            await using (var command = new NpgsqlCommand(SubmissionQueries.Select(where, limited: true), connection))
            {
                where.Bind(command);
                command.Parameters.AddWithValue("limit", page.Limit + 1);
                await using var reader = await command.ExecuteReaderAsync(ct);
                var rows = SubmissionQueries.Rows(reader);
                while (await reader.ReadAsync(ct))
                {
                    items.Add(SubmissionQueries.Item(rows(reader)));
                }
            }

            var total = await PanelSql.CountAsync(connection, SubmissionQueries.From, SubmissionQueries.Where(filter, actor), options.MaxExactCount, ct);
            return page.ToPage(items, i => new KeysetPosition<Guid>(i.CreatedAt, i.Id), total.Count, total.IsEstimate);
        }, cancellationToken);
}
