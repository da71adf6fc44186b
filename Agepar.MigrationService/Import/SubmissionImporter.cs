using System.Text.Json;
using Agepar.Data.Auth;
using Agepar.Data.Submissions;
using NpgsqlTypes;

namespace Agepar.MigrationService.Import;

/// <summary>
/// submissions: statuses mapped (<see cref="SubmissionStatusMap"/>), payload and result kept as JSON, the actor
/// resolved to a user (the new <c>actor_user_id</c> is NOT NULL with a foreign key), files the result points to on
/// the old portal's disk reported. Natural key: the id (a TEXT id that is a UUID keeps it; any other gets
/// <see cref="LegacyIdentity.DerivedId"/>). Written with binary COPY in batches.
/// </summary>
internal static class SubmissionImporter
{
    public const string TableName = "submissions";
    private const int BatchSize = 5_000;

    private sealed record Row(
        Guid Id, string Kind, string KindVersion, Guid ActorUserId, string? ActorName, string? ActorEmail, string? ActorCpf,
        string Payload, string Status, string? Result, string? Error, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, DateTimeOffset UpdatedAt);

    public static async Task RunAsync(ImportContext ctx, CancellationToken ct)
    {
        var table = ctx.Report.Table(TableName);
        var existing = new HashSet<Guid>();
        await using (var load = ctx.Command("SELECT id FROM submissions"))
        await using (var reader = await load.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                existing.Add(reader.GetGuid(0));
            }
        }

        // Non-cancelled DFDs per protocolo: ux_submissions_dfd_protocolo allows one.
        var protocolos = new HashSet<string>(StringComparer.Ordinal);
        await using (var load = ctx.Command("SELECT payload->>'protocolo' FROM submissions WHERE kind = 'dfd' AND status <> 'cancelled' AND payload ? 'protocolo'"))
        await using (var reader = await load.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                if (!reader.IsDBNull(0))
                {
                    protocolos.Add(reader.GetString(0));
                }
            }
        }

        var batch = new List<Row>(BatchSize);
        await foreach (var old in ctx.Source.ReadSubmissionsAsync(ct))
        {
            table.Found++;
            if (string.IsNullOrWhiteSpace(old.Id))
            {
                table.Reject("(no id)", "id missing");
                continue;
            }

            var key = old.Id;
            var id = Guid.TryParse(old.Id, out var uuid) ? uuid : LegacyIdentity.DerivedId("submission", old.Id);
            if (!ctx.SubmissionIds.TryAdd(old.Id, id))
            {
                table.Reject(key, "duplicate id in the source");
                continue;
            }

            if (existing.Contains(id))
            {
                table.Present++;
                continue;
            }

            if (Classify(ctx, table, old, id, key, protocolos) is not { } row)
            {
                continue;
            }

            existing.Add(id);
            batch.Add(row);
            table.Imported++;
            if (batch.Count == BatchSize)
            {
                await CopyAsync(ctx, batch, ct);
            }
        }

        await CopyAsync(ctx, batch, ct);
    }

    private static Row? Classify(ImportContext ctx, TableReport table, OldSubmission old, Guid id, string key, HashSet<string> protocolos)
    {
        if (string.IsNullOrWhiteSpace(old.Kind))
        {
            table.Reject(key, "kind missing");
            return null;
        }

        if (string.IsNullOrWhiteSpace(old.Version))
        {
            table.Reject(key, "version missing (kind_version is required)");
            return null;
        }

        if (SubmissionStatusMap.Map(old.Status) is not { } mappedStatus)
        {
            table.Reject(key, "unknown status", old.Status ?? "null");
            return null;
        }

        var (status, statusError) = mappedStatus;
        if (old.CreatedAt is not { } createdAt)
        {
            table.Reject(key, "created_at missing or unreadable");
            return null;
        }

        if (old.Payload is null)
        {
            table.Reject(key, "payload missing");
            return null;
        }

        if (Parse(old.Payload) is not { } payload)
        {
            table.Reject(key, "payload is not valid JSON");
            return null;
        }

        using var payloadDoc = payload;
        JsonDocument? resultDoc = null;
        if (old.Result is not null && (resultDoc = Parse(old.Result)) is null)
        {
            table.Reject(key, "result is not valid JSON");
            return null;
        }

        using var resultScope = resultDoc;
        var actor = ctx.ResolveActor(old.ActorCpf, old.ActorEmail);
        if (actor is null)
        {
            table.Reject(key, "actor not found among the imported or existing users", $"cpf {Mask(old.ActorCpf)}, e-mail {old.ActorEmail ?? "null"}");
            return null;
        }

        // The old soft delete (§4.3) keeps the DB status 'done' and marks the result: here it is a cancellation.
        if (resultDoc is { RootElement.ValueKind: JsonValueKind.Object } r
            && (r.RootElement.TryGetProperty("_soft_delete", out _)
                || (r.RootElement.TryGetProperty("status", out var rs) && rs.ValueKind == JsonValueKind.String && rs.GetString() == "deleted")))
        {
            status = SubmissionStatus.Cancelled;
        }

        var kind = old.Kind.Trim();
        if (kind == "dfd" && status != SubmissionStatus.Cancelled && payloadDoc.RootElement.ValueKind == JsonValueKind.Object
            && payloadDoc.RootElement.TryGetProperty("protocolo", out var protocoloElement))
        {
            // payload->>'protocolo': the string itself, or the JSON text of any other value.
            var protocolo = protocoloElement.ValueKind == JsonValueKind.String ? protocoloElement.GetString()! : protocoloElement.GetRawText();
            if (!protocolos.Add(protocolo))
            {
                table.Reject(key, "duplicate protocolo (another non-cancelled dfd has it)", protocolo);
                return null;
            }
        }

        var files = 0;
        if (resultDoc is not null)
        {
            foreach (var (field, path) in FilePaths(resultDoc.RootElement, ""))
            {
                files++;
                ctx.FilesReport.WriteLine($"{id}\t{old.Id}\t{kind}\t{field}\t{path}");
            }
        }

        if (files > 0)
        {
            ctx.Report.ReferencedFiles += files;
            table.Warn(key, "result references files on the old portal's disk (listed in the files report, not copied)");
        }

        var actorCpf = Cpf.Normalize(old.ActorCpf);
        var finished = status is SubmissionStatus.Done or SubmissionStatus.Error or SubmissionStatus.Cancelled ? old.UpdatedAt ?? createdAt : (DateTimeOffset?)null;
        var wasRun = old.Status?.Trim().ToLowerInvariant() is not ("queued" or "pending" or "submitted");
        return new Row(id, kind, old.Version.Trim(), actor.Id, old.ActorName, old.ActorEmail, actorCpf,
            old.Payload, status, old.Result, statusError ?? old.Error, wasRun ? 1 : 0, createdAt, finished, old.UpdatedAt ?? createdAt);
    }

    /// <summary>String values under keys that name a path (file_path, docx_path, arquivos[].file_path…).</summary>
    private static IEnumerable<(string Field, string Path)> FilePaths(JsonElement element, string at)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var field = at.Length == 0 ? property.Name : $"{at}.{property.Name}";
                    if (property.Value.ValueKind == JsonValueKind.String
                        && property.Name.Contains("path", StringComparison.OrdinalIgnoreCase)
                        && property.Value.GetString() is { Length: > 0 } path)
                    {
                        yield return (field, path);
                    }
                    else
                    {
                        foreach (var nested in FilePaths(property.Value, field))
                        {
                            yield return nested;
                        }
                    }
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var nested in FilePaths(item, $"{at}[{i++}]"))
                    {
                        yield return nested;
                    }
                }

                break;
        }
    }

    private static JsonDocument? Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Mask(string? cpf) => cpf is { Length: >= 11 } ? $"***{cpf[3..^2]}**" : cpf ?? "null";

    private static async Task CopyAsync(ImportContext ctx, List<Row> batch, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return;
        }

        await using (var writer = await ctx.Target.BeginBinaryImportAsync($"""
            COPY submissions (id, kind, kind_version, actor_user_id, actor_name, actor_email, {ctx.CpfColumns("actor_")}, payload, status, result,
                              error, attempts, max_attempts, run_after, created_at, finished_at, updated_at) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var row in batch)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(row.Id, NpgsqlDbType.Uuid, ct);
                await writer.WriteAsync(row.Kind, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(row.KindVersion, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(row.ActorUserId, NpgsqlDbType.Uuid, ct);
                await WriteNullableAsync(writer, row.ActorName, NpgsqlDbType.Text, ct);
                await WriteNullableAsync(writer, row.ActorEmail, NpgsqlDbType.Text, ct);
                await ctx.WriteCpfAsync(writer, row.ActorCpf, ct);
                await writer.WriteAsync(row.Payload, NpgsqlDbType.Jsonb, ct);
                await writer.WriteAsync(row.Status, NpgsqlDbType.Text, ct);
                await WriteNullableAsync(writer, row.Result, NpgsqlDbType.Jsonb, ct);
                await WriteNullableAsync(writer, row.Error, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(row.Attempts, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync(3, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync(row.CreatedAt, NpgsqlDbType.TimestampTz, ct);
                await writer.WriteAsync(row.CreatedAt, NpgsqlDbType.TimestampTz, ct);
                await WriteNullableAsync(writer, row.FinishedAt, NpgsqlDbType.TimestampTz, ct);

                await writer.WriteAsync(row.UpdatedAt, NpgsqlDbType.TimestampTz, ct);
            }

            await writer.CompleteAsync(ct);
        }

        batch.Clear();
    }

    internal static async Task WriteNullableAsync<T>(Npgsql.NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken ct)
        where T : class
    {
        if (value is null)
        {
            await writer.WriteNullAsync(ct);
        }
        else
        {
            await writer.WriteAsync(value, type, ct);
        }
    }

    internal static async Task WriteNullableAsync<T>(Npgsql.NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken ct)
        where T : struct
    {
        if (value is { } present)
        {
            await writer.WriteAsync(present, type, ct);
        }
        else
        {
            await writer.WriteNullAsync(ct);
        }
    }

    public static async Task VerifyAsync(ImportContext ctx, CancellationToken ct)
    {
        var table = ctx.Report.Table(TableName);
        await using var count = ctx.Command("SELECT count(*) FROM submissions WHERE id = ANY(@ids)");
        count.Parameters.AddWithValue("ids", ctx.SubmissionIds.Values.ToArray());
        table.InTarget = (long)(await count.ExecuteScalarAsync(ct))!;
    }
}
