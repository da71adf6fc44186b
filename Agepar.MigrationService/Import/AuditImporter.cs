using System.Net;
using System.Text;
using System.Text.Json;
using Agepar.Data.Auth;
using NpgsqlTypes;

namespace Agepar.MigrationService.Import;

/// <summary>
/// <c>automation_audits</c> (SQLite: <c>audits</c>) and <c>audit_events</c> into the partitioned, append-only
/// <c>audits</c>, with their original timestamps. Actions mapped by <see cref="AuditActionMap"/>; the original action,
/// the old row's meta/metadata and message are kept in <c>metadata</c>. Natural key, stored in metadata:
/// (<c>import_source</c>, <c>import_table</c>, <c>import_id</c>). Written with binary COPY in batches, each batch after
/// the partitions of its months exist.
/// </summary>
internal static class AuditImporter
{
    public const string EventsTable = "audit_events";
    private const int BatchSize = 20_000;

    private sealed record Row(
        DateTimeOffset OccurredAt, Guid? ActorUserId, string? ActorName, string? ActorEmail, string? ActorCpf, string Action,
        string? Kind, string? ObjectType, string? ObjectId, string Outcome, IPAddress? Ip, string? UserAgent, string Metadata);

    public static async Task RunAsync(ImportContext ctx, CancellationToken ct)
    {
        var (chain, exemption) = await AuditChainGuard.ReadAsync(ctx, ct);
        long firstId = 0;
        if (chain && exemption)
        {
            // Contiguous ids for the recorded range: no other writer may take an audit id until commit.
            await using (var lockAudits = ctx.Command("LOCK TABLE public.audits IN SHARE ROW EXCLUSIVE MODE"))
            {
                await lockAudits.ExecuteNonQueryAsync(ct);
            }

            await using var next = ctx.Command("SELECT coalesce(max(id), 0) + 1 FROM audits");
            firstId = (long)(await next.ExecuteScalarAsync(ct))!;
        }

        var existing = await ExistingKeysAsync(ctx, ct);
        var partitions = new AuditPartitions(ctx);
        var batch = new List<Row>(BatchSize);
        long written = 0;

        var automationTable = ctx.Source.AutomationAuditsTable;
        var automation = ctx.Report.Table(automationTable);
        await foreach (var old in ctx.Source.ReadAutomationAuditsAsync(ct))
        {
            automation.Found++;
            var key = old.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (existing.Contains($"{automationTable}:{key}"))
            {
                automation.Present++;
                continue;
            }

            if (FromAutomation(ctx, automation, automationTable, key, old) is { } row)
            {
                if (chain && !exemption)
                {
                    throw AuditChainGuard.Refusal();
                }

                batch.Add(row);
                automation.Imported++;
                written += await FlushIfFullAsync(ctx, partitions, batch, ct);
            }
        }

        if (ctx.Source.HasAuthTables)
        {
            var events = ctx.Report.Table(EventsTable);
            await foreach (var old in ctx.Source.ReadAuditEventsAsync(ct))
            {
                events.Found++;
                var key = old.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (existing.Contains($"{EventsTable}:{key}"))
                {
                    events.Present++;
                    continue;
                }

                if (FromEvent(ctx, events, key, old) is { } row)
                {
                    if (chain && !exemption)
                    {
                        throw AuditChainGuard.Refusal();
                    }

                    batch.Add(row);
                    events.Imported++;
                    written += await FlushIfFullAsync(ctx, partitions, batch, ct);
                }
            }
        }

        written += await FlushAsync(ctx, partitions, batch, ct);
        if (chain && exemption && written > 0)
        {
            await using var last = ctx.Command("SELECT max(id) FROM audits");
            await AuditChainGuard.RecordAsync(ctx, ctx.Source.Label, firstId, (long)(await last.ExecuteScalarAsync(ct))!, written, ct);
        }
    }

    private static Row? FromAutomation(ImportContext ctx, TableReport table, string sourceTable, string key, OldAutomationAudit old)
    {
        if (old.At is not { } at)
        {
            table.Reject(key, "at missing or unreadable");
            return null;
        }

        if (string.IsNullOrWhiteSpace(old.Action))
        {
            table.Reject(key, "action missing");
            return null;
        }

        var (action, outcome) = AuditActionMap.Resolve(old.Action, old.Kind);
        var actor = ctx.ResolveActor(old.ActorCpf, null);
        var cpf = Cpf.Normalize(old.ActorCpf);
        if (old.ActorCpf is not null && cpf is null)
        {
            table.Warn(key, "actor CPF not 11 digits: kept in metadata.legacy_actor_cpf only");
        }

        string? objectType = null, objectId = null;
        var metaOk = TryParse(old.Meta, out var meta);
        if (!metaOk)
        {
            table.Warn(key, "meta is not valid JSON: kept as text in metadata.legacy_meta_text");
        }

        using (meta)
        {
            if (meta is { RootElement.ValueKind: JsonValueKind.Object } m && m.RootElement.TryGetProperty("sid", out var sid)
                && sid.ValueKind == JsonValueKind.String && sid.GetString() is { Length: > 0 } sidText)
            {
                objectType = "submission";
                objectId = (ctx.SubmissionIds.TryGetValue(sidText, out var mapped) ? mapped
                    : Guid.TryParse(sidText, out var g) ? g : LegacyIdentity.DerivedId("submission", sidText)).ToString();
            }

            var metadata = Metadata(ctx.Source.Label, sourceTable, key, old.Action, meta, metaOk ? null : old.Meta, null,
                cpf is null ? old.ActorCpf : null, null);
            return new Row(at, actor?.Id, old.ActorName, actor?.Email, cpf, action, old.Kind, objectType, objectId, outcome, null, null, metadata);
        }
    }

    private static Row? FromEvent(ImportContext ctx, TableReport table, string key, OldAuditEvent old)
    {
        if (old.At is not { } at)
        {
            table.Reject(key, "at missing or unreadable");
            return null;
        }

        if (string.IsNullOrWhiteSpace(old.Action))
        {
            table.Reject(key, "action missing");
            return null;
        }

        var (action, outcome) = AuditActionMap.Resolve(old.Action, null);
        TargetUser? actor = null;
        if (old.ActorUserId is { } oldActor && !ctx.UsersByOldId.TryGetValue(oldActor, out actor))
        {
            table.Warn(key, "actor user not imported: actor_user_id left empty, old id in metadata.legacy_actor_user_id");
        }

        IPAddress? ip = null;
        if (old.Ip is not null && !IPAddress.TryParse(old.Ip, out ip))
        {
            table.Warn(key, "ip unreadable: left empty");
        }

        var metaOk = TryParse(old.Metadata, out var meta);
        if (!metaOk)
        {
            table.Warn(key, "metadata is not valid JSON: kept as text in metadata.legacy_meta_text");
        }

        using (meta)
        {
            var metadata = Metadata(ctx.Source.Label, EventsTable, key, old.Action, meta, metaOk ? null : old.Metadata, old.Message, null,
                actor is null ? old.ActorUserId : null);
            return new Row(at, actor?.Id, actor?.Name, actor?.Email, actor?.Cpf, action, null, old.ObjectType, old.ObjectId, outcome, ip, old.UserAgent, metadata);
        }
    }

    private static string Metadata(string source, string table, string id, string legacyAction, JsonDocument? legacyMeta, string? legacyMetaText,
        string? message, string? legacyCpf, Guid? legacyActorId)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("import_source", source);
            json.WriteString("import_table", table);
            json.WriteString("import_id", id);
            json.WriteString("legacy_action", legacyAction);
            if (legacyMeta is not null && legacyMeta.RootElement.ValueKind != JsonValueKind.Null)
            {
                json.WritePropertyName("legacy_meta");
                legacyMeta.RootElement.WriteTo(json);
            }

            if (legacyMetaText is not null)
            {
                json.WriteString("legacy_meta_text", legacyMetaText);
            }

            if (message is not null)
            {
                json.WriteString("legacy_message", message);
            }

            if (legacyCpf is not null)
            {
                json.WriteString("legacy_actor_cpf", legacyCpf);
            }

            if (legacyActorId is { } actorId)
            {
                json.WriteString("legacy_actor_user_id", actorId);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static bool TryParse(string? json, out JsonDocument? document)
    {
        document = null;
        if (json is null)
        {
            return true;
        }

        try
        {
            document = JsonDocument.Parse(json);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Natural keys of the audits earlier runs imported from this source (one scan of the table).</summary>
    private static async Task<HashSet<string>> ExistingKeysAsync(ImportContext ctx, CancellationToken ct)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await using var command = ctx.Command(
            "SELECT metadata->>'import_table', metadata->>'import_id' FROM audits WHERE metadata->>'import_source' = @source");
        command.Parameters.AddWithValue("source", ctx.Source.Label);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            keys.Add($"{reader.GetString(0)}:{reader.GetString(1)}");
        }

        return keys;
    }

    private static Task<long> FlushIfFullAsync(ImportContext ctx, AuditPartitions partitions, List<Row> batch, CancellationToken ct) =>
        batch.Count >= BatchSize ? FlushAsync(ctx, partitions, batch, ct) : Task.FromResult(0L);

    private static async Task<long> FlushAsync(ImportContext ctx, AuditPartitions partitions, List<Row> batch, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        await partitions.EnsureAsync(batch.Select(r => r.OccurredAt), ct);
        await using (var writer = await ctx.Target.BeginBinaryImportAsync($"""
            COPY audits (occurred_at, actor_user_id, actor_name, actor_email, {ctx.CpfColumns("actor_")}, action, kind, object_type, object_id,
                         outcome, ip, user_agent, metadata) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var row in batch)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(row.OccurredAt, NpgsqlDbType.TimestampTz, ct);
                await SubmissionImporter.WriteNullableAsync(writer, row.ActorUserId, NpgsqlDbType.Uuid, ct);

                await SubmissionImporter.WriteNullableAsync(writer, row.ActorName, NpgsqlDbType.Text, ct);
                await SubmissionImporter.WriteNullableAsync(writer, row.ActorEmail, NpgsqlDbType.Text, ct);
                await ctx.WriteCpfAsync(writer, row.ActorCpf, ct);
                await writer.WriteAsync(row.Action, NpgsqlDbType.Text, ct);
                await SubmissionImporter.WriteNullableAsync(writer, row.Kind, NpgsqlDbType.Text, ct);
                await SubmissionImporter.WriteNullableAsync(writer, row.ObjectType, NpgsqlDbType.Text, ct);
                await SubmissionImporter.WriteNullableAsync(writer, row.ObjectId, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(row.Outcome, NpgsqlDbType.Text, ct);
                await SubmissionImporter.WriteNullableAsync(writer, row.Ip, NpgsqlDbType.Inet, ct);

                await SubmissionImporter.WriteNullableAsync(writer, row.UserAgent, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(row.Metadata, NpgsqlDbType.Jsonb, ct);
            }

            await writer.CompleteAsync(ct);
        }

        var count = batch.Count;
        batch.Clear();
        return count;
    }

    public static async Task VerifyAsync(ImportContext ctx, CancellationToken ct)
    {
        var tables = new List<string> { ctx.Source.AutomationAuditsTable };
        if (ctx.Source.HasAuthTables)
        {
            tables.Add(EventsTable);
        }

        await using var command = ctx.Command(
            "SELECT metadata->>'import_table', count(*) FROM audits WHERE metadata->>'import_source' = @source GROUP BY 1");
        command.Parameters.AddWithValue("source", ctx.Source.Label);
        var counts = new Dictionary<string, long>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        foreach (var table in tables)
        {
            ctx.Report.Table(table).InTarget = counts.GetValueOrDefault(table);
        }
    }
}
