using System.Globalization;

namespace Agepar.MigrationService.Import;

/// <summary>
/// Monthly audit partitions for the months imported rows fall in. <c>ensure_audit_partitions</c> only creates the
/// current month and the months ahead; historical months are created here, as the table's owner
/// (<c>agepar_owner</c> through <c>SET ROLE</c> where provisioned, else <c>agepar_admin</c>), exactly as that function builds them: same name (<c>audits_yYYYYmMM</c>, UTC months), the TRUNCATE guard,
/// no PUBLIC rights, SELECT/INSERT only for <c>agepar_user</c>. A month whose rows already sit in
/// <c>audits_default</c> is left there (moving rows out of the default partition needs the append-only escape
/// hatch, which the importer never uses): imported rows of that month go to the default partition too.
/// </summary>
internal sealed class AuditPartitions(ImportContext ctx)
{
    private readonly HashSet<DateTime> _ready = [];

    public async Task EnsureAsync(IEnumerable<DateTimeOffset> times, CancellationToken ct)
    {
        foreach (var month in times.Select(t => new DateTime(t.UtcDateTime.Year, t.UtcDateTime.Month, 1, 0, 0, 0, DateTimeKind.Utc)).Distinct().Order())
        {
            if (_ready.Add(month))
            {
                await EnsureMonthAsync(month, ct);
            }
        }
    }

    private async Task EnsureMonthAsync(DateTime month, CancellationToken ct)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"audits_y{month:yyyy}m{month:MM}");
        var from = month.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 00:00:00+00";
        var to = month.AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 00:00:00+00";
        await using var command = ctx.Command("""
            SELECT to_regclass('public.' || quote_ident(@name)) IS NOT NULL,
                   EXISTS (SELECT 1 FROM public.audits_default WHERE occurred_at >= @from::timestamptz AND occurred_at < @to::timestamptz),
                   EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agepar_user')
            """);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        bool exists, defaultHasRows, appRole;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            (exists, defaultHasRows, appRole) = (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2));
        }

        if (exists)
        {
            return;
        }

        if (defaultHasRows)
        {
            ctx.Report.PartitionsLeftInDefault.Add(name);
            return;
        }

        // Identifiers come from a fixed format (audits_y0000m00) and the bounds from DateTime formatting: no input.
        var sql = $"""
            CREATE TABLE public.{name} PARTITION OF public.audits FOR VALUES FROM ('{from}') TO ('{to}');
            CREATE TRIGGER audits_no_truncate BEFORE TRUNCATE ON public.{name} FOR EACH STATEMENT EXECUTE FUNCTION audits_append_only();
            REVOKE ALL ON public.{name} FROM PUBLIC;
            """ + (appRole ? $"""

            REVOKE UPDATE, DELETE, TRUNCATE ON public.{name} FROM agepar_user;
            GRANT SELECT, INSERT ON public.{name} TO agepar_user;
            """ : "");
        await using (var create = ctx.Command(sql))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        ctx.Report.PartitionsCreated.Add(name);
    }
}
