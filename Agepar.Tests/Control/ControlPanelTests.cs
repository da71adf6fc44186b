using System.Net;
using System.Text.Json;
using Agepar.Tests.Infrastructure;
using static Agepar.Tests.Automations.AutomationTestData;

namespace Agepar.Tests.Control;

/// <summary>The control panel: access, filters applied in SQL, keyset pages that neither skip nor repeat, totals.</summary>
[Collection(AppCollection.Name)]
public sealed class ControlPanelTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task The_panel_is_denied_to_plain_users_and_the_refusal_is_audited()
    {
        using var plain = await ApiSession.CreateUserAsync(fixture, "user", "compras");
        using var directorate = await ApiSession.CreateUserAsync(fixture, "daf");
        using var auditor = await ApiSession.CreateUserAsync(fixture, "auditor");

        foreach (var url in new[] { "/api/control/audits", "/api/control/submissions", "/api/control/audits.csv", "/api/control/submissions.csv", "/api/control/facets" })
        {
            using var denied = await plain.Client.GetAsync(url);
            Assert.True(denied.StatusCode == HttpStatusCode.Forbidden, $"{url}: {await DescribeAsync(denied)}");
        }

        using var daf = await directorate.Client.GetAsync("/api/control/audits?limit=1");
        using var audit = await auditor.Client.GetAsync("/api/control/submissions?limit=1");
        Assert.Equal(HttpStatusCode.OK, daf.StatusCode);
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        Assert.Equal(5L, await ScalarAsync<long>(fixture,
            "SELECT count(*) FROM audits WHERE actor_user_id = @u AND action = 'auth.access_denied' AND outcome = 'denied'", ("u", plain.UserId)));
    }

    [Fact]
    public async Task Audit_filters_run_in_sql_and_keyset_pages_cover_every_row_once()
    {
        using var admin = await ApiSession.AdminAsync(fixture);
        var kind = "panel-" + Guid.NewGuid().ToString("N")[..8];
        // 7 matching rows, two of them at the same instant (the id breaks the tie), plus rows the filters must exclude.
        await ExecuteAsync(fixture, """
            INSERT INTO audits (occurred_at, action, outcome, kind, actor_email, object_type, object_id, metadata)
            SELECT ts, 'submission.failed', 'failure', @kind, 'panel@agepar.test', 'submission', 'obj-' || n, jsonb_build_object('n', n)
              FROM (VALUES (1, now() - interval '1 minute'), (2, now() - interval '2 minutes'), (3, now() - interval '3 minutes'),
                           (4, now() - interval '3 minutes'), (5, now() - interval '4 minutes'), (6, now() - interval '5 minutes'),
                           (7, now() - interval '6 minutes')) AS v(n, ts);
            INSERT INTO audits (occurred_at, action, outcome, kind, metadata) VALUES
              (now(), 'submission.completed', 'success', @kind, '{}'),
              (now() - interval '3 days', 'submission.failed', 'failure', @kind, '{}');
            """, ("kind", kind));

        var seen = new List<long>();
        string? cursor = null;
        var pages = new List<JsonElement>();
        do
        {
            var url = $"/api/control/audits?kind={kind}&action=submission.failed&outcome=failure&since={DateTime.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}&limit=3"
                      + (cursor is null ? "" : "&cursor=" + cursor);
            using var response = await admin.Client.GetAsync(url);
            var page = await JsonAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
            pages.Add(page);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && pages.Count < 10);

        Assert.Equal([3, 3, 1], pages.Select(p => p.GetProperty("items").GetArrayLength()));
        Assert.All(pages, p => Assert.Equal(7, p.GetProperty("total").GetInt64()));
        Assert.All(pages, p => Assert.False(p.GetProperty("totalIsEstimate").GetBoolean()));
        Assert.Equal(7, seen.Distinct().Count());
        var expected = await ScalarAsync<long[]>(fixture, """
            SELECT array_agg(id ORDER BY occurred_at DESC, id DESC) FROM audits
             WHERE kind = @kind AND action = 'submission.failed' AND occurred_at > now() - interval '1 hour'
            """, ("kind", kind));
        Assert.Equal(expected, seen);

        var text = await JsonAsync(await admin.Client.GetAsync($"/api/control/audits?kind={kind}&text=OBJ-5"));
        Assert.Equal("obj-5", Assert.Single(text.GetProperty("items").EnumerateArray()).GetProperty("objectId").GetString());
        var byActor = await JsonAsync(await admin.Client.GetAsync($"/api/control/audits?kind={kind}&actor=PANEL@agepar.test"));
        Assert.Equal(7, byActor.GetProperty("total").GetInt64());
        var until = await JsonAsync(await admin.Client.GetAsync($"/api/control/audits?kind={kind}&until={DateTime.UtcNow.AddDays(-2):yyyy-MM-dd}"));
        Assert.Equal(1, until.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Submission_filters_and_details()
    {
        using var admin = await ApiSession.AdminAsync(fixture);
        using var user = await ApiSession.CreateUserAsync(fixture, "automations.form2json");
        var kind = "panel-" + Guid.NewGuid().ToString("N")[..8];
        var error = await InsertSubmissionAsync(fixture, user.UserId, "error", kind: kind);
        await InsertSubmissionAsync(fixture, user.UserId, "queued", kind: kind, runAfterSql: "now() + interval '1 hour'");
        await InsertSubmissionAsync(fixture, user.UserId, "queued", kind: kind, runAfterSql: "now() + interval '1 hour'");

        var all = await JsonAsync(await admin.Client.GetAsync($"/api/control/submissions?kind={kind}"));
        var errors = await JsonAsync(await admin.Client.GetAsync($"/api/control/submissions?kind={kind}&status=error&actor={user.Email}"));
        var byCpf = await JsonAsync(await admin.Client.GetAsync($"/api/control/submissions?kind={kind}&actor={user.Cpf}"));
        using var details = await admin.Client.GetAsync($"/api/control/submissions/{error}");

        Assert.Equal(3, all.GetProperty("total").GetInt64());
        Assert.Equal(error, Assert.Single(errors.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(3, byCpf.GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.OK, details.StatusCode);
        Assert.Equal("Inserida", (await JsonAsync(details)).GetProperty("payload").GetProperty("nome").GetString());
    }

    [Theory]
    [InlineData("/api/control/audits?text=%27%3B%20DROP%20TABLE%20audits%3B%20--", 200)]
    [InlineData("/api/control/audits?kind=%27%20OR%201%3D1%20--", 200)]
    [InlineData("/api/control/audits?text=%25%25%5F", 200)]
    [InlineData("/api/control/audits?text=a%00b", 400)]
    [InlineData("/api/control/audits?since=yesterday", 400)]
    [InlineData("/api/control/audits?outcome=maybe", 400)]
    [InlineData("/api/control/audits?limit=0", 400)]
    [InlineData("/api/control/audits?cursor=AAAA", 400)]
    [InlineData("/api/control/submissions?status=deleted", 400)]
    [InlineData("/api/control/submissions?until=2026-13-45", 400)]
    [InlineData("/api/control/submissions.csv?since=x", 400)]
    [InlineData("/api/control/submissions/not-a-guid", 404)]
    public async Task Hostile_panel_queries_are_answered_without_a_500(string url, int expected)
    {
        using var admin = await ApiSession.AdminAsync(fixture);

        using var response = await admin.Client.GetAsync(url);

        Assert.True((int)response.StatusCode == expected, $"{url}: {await DescribeAsync(response)}");
        Assert.True(await ScalarAsync<bool>(fixture, "SELECT to_regclass('public.audits') IS NOT NULL AND to_regclass('public.submissions') IS NOT NULL"));
    }

    [Fact]
    public async Task Facets_list_the_vocabularies()
    {
        using var admin = await ApiSession.AdminAsync(fixture);

        var facets = await JsonAsync(await admin.Client.GetAsync("/api/control/facets"));

        Assert.Contains("dfd", facets.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
        Assert.Contains("submission.downloaded", facets.GetProperty("actions").EnumerateArray().Select(k => k.GetString()));
        Assert.Contains("cancelled", facets.GetProperty("statuses").EnumerateArray().Select(k => k.GetString()));
    }
}
