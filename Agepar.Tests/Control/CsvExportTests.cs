using System.Net;
using System.Net.Http.Json;
using System.Text;
using Agepar.Tests.Infrastructure;
using static Agepar.Tests.Automations.AutomationTestData;

namespace Agepar.Tests.Control;

/// <summary>The streamed CSV exports: same filters as the panel, RFC 4180, formula-injection safe.</summary>
[Collection(AppCollection.Name)]
public sealed class CsvExportTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task Audits_csv_honours_the_filters_and_neutralizes_formulas()
    {
        using var admin = await ApiSession.AdminAsync(fixture);
        var kind = "csv-" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync(fixture, """
            INSERT INTO audits (occurred_at, action, outcome, kind, actor_name, actor_email, object_type, object_id, metadata) VALUES
              (now() - interval '2 minutes', 'submission.failed', 'failure', @kind, '=HYPERLINK("http://evil.example","click")', 'a@agepar.test', 'submission', 'o1', '{"error":"x, \"y\"\nz"}'),
              (now() - interval '1 minute', 'submission.failed', 'failure', @kind, 'Maria, a "Brava"', 'b@agepar.test', 'submission', 'o2', '{}'),
              (now(), 'submission.completed', 'success', @kind, '+5541999', 'c@agepar.test', 'submission', 'o3', '{}')
            """, ("kind", kind));

        using var response = await admin.Client.GetAsync($"/api/control/audits.csv?kind={kind}&action=submission.failed");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("audits.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]); // UTF-8 BOM
        var records = ParseCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));

        Assert.Equal(
            ["id", "occurred_at", "actor_user_id", "actor_name", "actor_email", "action", "kind", "object_type", "object_id", "outcome", "ip", "user_agent", "trace_id", "metadata", "actor_cpf"],
            records[0]);
        Assert.Equal(3, records.Count); // header + the two failures, newest first
        Assert.Equal(["o2", "o1"], records.Skip(1).Select(r => r[8]));
        Assert.All(records.Skip(1), r => Assert.Equal(15, r.Count));
        Assert.Equal("Maria, a \"Brava\"", records[1][3]);
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"click\")", records[2][3]);
        Assert.Equal("{\"error\": \"x, \\\"y\\\"\\nz\"}", records[2][13]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", records[1][1]);
        Assert.EndsWith("\r\n", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submissions_csv_honours_the_filters()
    {
        using var admin = await ApiSession.AdminAsync(fixture);
        using var user = await ApiSession.CreateUserAsync(fixture, "automations.form2json");
        var kind = "csv-" + Guid.NewGuid().ToString("N")[..8];
        var failed = await InsertSubmissionAsync(fixture, user.UserId, "error", kind: kind, actorName: "=1+1");
        await InsertSubmissionAsync(fixture, user.UserId, "queued", kind: kind, runAfterSql: "now() + interval '1 hour'");

        using var response = await admin.Client.GetAsync($"/api/control/submissions.csv?kind={kind}&status=error");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var records = ParseCsv((await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
        Assert.Equal(
            ["id", "kind", "kind_version", "status", "actor_user_id", "actor_name", "actor_email", "attempts", "max_attempts", "created_at", "started_at", "finished_at", "error", "payload"],
            records[0]);
        var row = Assert.Single(records.Skip(1));
        Assert.Equal(failed.ToString(), row[0]);
        Assert.Equal("error", row[3]);
        Assert.Equal(user.UserId.ToString(), row[4]);
        Assert.Equal("'=1+1", row[5]);
        Assert.StartsWith("{", row[13], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_large_export_streams_every_row()
    {
        using var admin = await ApiSession.AdminAsync(fixture);
        var kind = "csv-big-" + Guid.NewGuid().ToString("N")[..8];
        const int rows = 25_000;
        await ExecuteAsync(fixture, """
            INSERT INTO audits (occurred_at, action, outcome, kind, object_id, metadata)
            SELECT now() - n * interval '1 millisecond', 'submission.completed', 'success', @kind, n::text, '{}'
              FROM generate_series(1, @rows) AS n
            """, ("kind", kind), ("rows", rows));

        using var response = await admin.Client.GetAsync($"/api/control/audits.csv?kind={kind}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentLength); // streamed, not buffered
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        var lines = 0;
        var last = "";
        while (await reader.ReadLineAsync() is { } line)
        {
            lines++;
            last = line;
        }

        Assert.Equal(rows + 1, lines);
        Assert.Contains($",{rows},", last, StringComparison.Ordinal); // oldest last

        var page = await JsonAsync(await admin.Client.GetAsync($"/api/control/audits?kind={kind}&limit=1"));
        Assert.True(page.GetProperty("totalIsEstimate").GetBoolean(), "25,000 rows exceed ControlPanel:MaxExactCount (10,000)");
        Assert.True(page.GetProperty("total").GetInt64() > 10_000);
    }

    [Fact]
    public async Task A_hostile_user_agent_stays_one_inert_cell_when_a_pt_BR_spreadsheet_reads_the_semicolon_export()
    {
        const string hostile = "x;=2+5;@SUM(1)";
        const string hostileFirst = "=2+5;@SUM(1)";
        var since = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var marker = "ua-" + Guid.NewGuid().ToString("N")[..12];

        // Anonymous requests that are audited with their User-Agent: an access denial and two failed sign-ins.
        foreach (var (agent, identifier) in new[] { (hostile, $"{marker}-a@agepar.test"), (hostileFirst, $"{marker}-b@agepar.test") })
        {
            using var anonymous = ApiSession.AnonymousClient(fixture);
            Assert.True(anonymous.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", agent));
            using var denied = await anonymous.GetAsync($"/api/control/submissions/{Guid.NewGuid()}");
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
            using var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { identifier, password = "Wrong-Passw0rd!" });
            Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        }

        using var admin = await ApiSession.AdminAsync(fixture);
        using var response = await admin.Client.GetAsync($"/api/control/audits.csv?delimiter=semicolon&since={since}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]); // UTF-8 BOM
        var sheet = ParseCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3), ';');
        var header = sheet[0];
        Assert.Equal(15, header.Count);
        var userAgentColumn = header.IndexOf("user_agent");
        var metadata = header.IndexOf("metadata");
        Assert.All(sheet, row => Assert.Equal(15, row.Count)); // nothing split a record into more cells
        Assert.All(sheet.SelectMany(row => row), cell =>
            Assert.False(cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r', $"a cell starts with a formula character: {cell}"));

        var a = Assert.Single(sheet, row => row[metadata].Contains($"{marker}-a@", StringComparison.Ordinal));
        var b = Assert.Single(sheet, row => row[metadata].Contains($"{marker}-b@", StringComparison.Ordinal));
        Assert.Equal(hostile, a[userAgentColumn]);
        Assert.Equal("'" + hostileFirst, b[userAgentColumn]);
    }

    [Fact]
    public async Task Hostile_filter_values_reach_the_export_as_plain_text_and_match_only_themselves()
    {
        // The export is a COPY, which takes no parameters: its filters are inlined as literals. Quotes, backslashes,
        // dollar quotes, comment starts and placeholder look-alikes must all be matched literally.
        using var admin = await ApiSession.AdminAsync(fixture);
        var marker = "lit-" + Guid.NewGuid().ToString("N")[..8];
        string[] kinds =
        [
            $"{marker}' OR '1'='1", $"{marker}\\' OR 1=1 --", $"{marker}'); DROP TABLE audits; --", $"{marker}$$;$$ E'\\x41'",
            $"{marker} @p0 @p1 @limit", $"{marker}%_\\%", $"{marker} ação ; \"q\" fim",
        ];
        foreach (var kind in kinds)
        {
            await ExecuteAsync(fixture, """
                INSERT INTO audits (occurred_at, action, outcome, kind, object_id, actor_name, metadata)
                VALUES (date_trunc('second', now()), 'submission.completed', 'success', @kind, @kind, '', '{}')
                """, ("kind", kind));
        }

        foreach (var kind in kinds)
        {
            foreach (var delimiter in new[] { ("comma", ','), ("semicolon", ';') })
            {
                using var response = await admin.Client.GetAsync(
                    $"/api/control/audits.csv?delimiter={delimiter.Item1}&kind={Uri.EscapeDataString(kind)}&objectId={Uri.EscapeDataString(kind)}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var records = ParseCsv((await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF'), delimiter.Item2);
                var row = Assert.Single(records.Skip(1));
                Assert.Equal(kind, row[6]);
                Assert.Equal(kind, row[8]);
                Assert.Equal("", row[3]); // the empty actor name
                Assert.EndsWith(".000000Z", row[1], StringComparison.Ordinal); // a whole second still has six digits
            }
        }

        // The text search (ILIKE) treats % _ \ in the value as characters, like the page does.
        using var search = await admin.Client.GetAsync($"/api/control/audits.csv?text={Uri.EscapeDataString($"{marker}%_\\%")}");
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        var found = ParseCsv((await search.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
        Assert.Equal([$"{marker}%_\\%"], found.Skip(1).Select(r => r[6]));
        Assert.Equal(kinds.Length, await TestSql.ScalarAsync<long>(fixture, "SELECT count(*) FROM audits WHERE kind LIKE @m || '%'", ("m", marker)));
    }

    [Fact]
    public async Task Rows_too_large_for_one_batch_still_come_once_each_in_order()
    {
        // 30 small rows, 30 of 300 KB (a batch keeps at most 4 MiB, so the big ones span several batches, each cut
        // short and the next one sized to fit), then 30 small rows again.
        using var admin = await ApiSession.AdminAsync(fixture);
        var kind = "csv-wide-" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync(fixture, """
            INSERT INTO audits (occurred_at, action, outcome, kind, object_id, metadata)
            SELECT now() - n * interval '1 millisecond', 'submission.completed', 'success', @kind, n::text,
                   CASE WHEN n BETWEEN 31 AND 60 THEN jsonb_build_object('pad', repeat(md5(n::text), 300 * 1024 / 32)) ELSE '{}' END
              FROM generate_series(1, 90) AS n
            """, ("kind", kind));

        using var response = await admin.Client.GetAsync($"/api/control/audits.csv?kind={kind}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var records = ParseCsv((await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
        Assert.Equal(Enumerable.Range(1, 90).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), records.Skip(1).Select(r => r[8]));
        Assert.Equal(300 * 1024 / 32 * 32 + 11, records[45][13].Length); // {"pad": "…"} whole
    }

    [Fact]
    public async Task A_client_that_stalls_mid_file_still_gets_every_row_once_in_order()
    {
        // 20,000 rows of ~1 KB: the reader stops for 3 s after its first bytes, so more than the 4 MiB an export may
        // keep waiting piles up; the batch is cut (its connection released) and resumed after the last row sent.
        using var admin = await ApiSession.AdminAsync(fixture);
        var kind = "csv-stall-" + Guid.NewGuid().ToString("N")[..8];
        const int rows = 20_000;
        await ExecuteAsync(fixture, """
            INSERT INTO audits (occurred_at, action, outcome, kind, object_id, metadata)
            SELECT now() - n * interval '1 millisecond', 'submission.completed', 'success', @kind, n::text,
                   jsonb_build_object('pad', repeat(md5(n::text), 32))
              FROM generate_series(1, @rows) AS n
            """, ("kind", kind), ("rows", rows));

        using var response = await admin.Client.GetAsync($"/api/control/audits.csv?kind={kind}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var file = new MemoryStream();
        var buffer = new byte[16 * 1024];
        var read = await body.ReadAsync(buffer);
        file.Write(buffer, 0, read);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await body.CopyToAsync(file);

        var records = ParseCsv(Encoding.UTF8.GetString(file.ToArray()).TrimStart('\uFEFF'));
        Assert.Equal(Enumerable.Range(1, rows).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), records.Skip(1).Select(r => r[8]));
    }

    /// <summary>
    /// A strict RFC 4180 reader (quoted fields, doubled quotes, CRLF records) with the given separator, the way a
    /// spreadsheet reads the file: <c>;</c> for a pt-BR one.
    /// </summary>
    internal static List<List<string>> ParseCsv(string text, char separator = ',')
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                    }
                    else if (text[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        field.Append(text[i++]);
                    }
                }
            }

            if (i < text.Length && text[i] == separator)
            {
                record.Add(field.ToString());
                field.Clear();
                i++;
            }
            else if (i + 1 < text.Length && text[i] == '\r' && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i += 2;
            }
            else if (i < text.Length)
            {
                Assert.NotEqual('\n', text[i]); // a bare LF outside quotes would break RFC 4180
                field.Append(text[i++]);
            }
        }

        Assert.Empty(record); // the last record ended with CRLF
        return records;
    }
}
