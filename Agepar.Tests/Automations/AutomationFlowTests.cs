using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Agepar.Tests.Infrastructure;
using static Agepar.Tests.Automations.AutomationTestData;

namespace Agepar.Tests.Automations;

/// <summary>Submit → queued → processed by the worker → done → download, for each shipped automation.</summary>
[Collection(AppCollection.Name)]
public sealed class AutomationFlowTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task Form2json_is_processed_and_the_json_document_downloads()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "automations.form2json");

        using var submit = await SubmitAsync(user.Client, "form2json", Form2JsonBody("José Conceição"));
        var accepted = await JsonAsync(submit);
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var id = accepted.GetProperty("submissionId").GetGuid();
        Assert.Equal("queued", accepted.GetProperty("status").GetString());
        Assert.Equal($"/api/automations/form2json/submissions/{id}", submit.Headers.Location?.OriginalString);

        var done = await WaitForStatusAsync(fixture, user.Client, "form2json", id, "done", "error");
        Assert.Equal("done", done.GetProperty("status").GetString());
        Assert.Equal(1, done.GetProperty("attempts").GetInt32());
        Assert.Equal("José Conceição", done.GetProperty("payload").GetProperty("nome").GetString());
        var file = done.GetProperty("files")[0];
        Assert.Equal("jose-conceicao_2026-03-05.json", file.GetProperty("fileName").GetString());

        using var download = await user.Client.GetAsync($"/api/automations/form2json/submissions/{id}/download");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/json", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("jose-conceicao_2026-03-05.json", download.Content.Headers.ContentDisposition?.FileNameStar);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        using var document = JsonDocument.Parse(bytes);
        Assert.Equal("José Conceição", document.RootElement.GetProperty("nome").GetString());
        Assert.Equal(1.5m, document.RootElement.GetProperty("itens")[1].GetProperty("quantidade").GetDecimal());
        Assert.Equal("form2json@1.0.0", document.RootElement.GetProperty("metadata").GetProperty("engine").GetString());

        // Every transition is audited against this submission, in order.
        var actions = await ScalarAsync<string[]>(fixture,
            "SELECT array_agg(action ORDER BY id) FROM audits WHERE object_type = 'submission' AND object_id = @id", ("id", id.ToString()));
        Assert.Equal(["submission.created", "submission.started", "submission.completed", "submission.downloaded"], actions ?? []);
    }

    [Fact]
    public async Task Dfd_is_processed_and_the_pdf_downloads()
    {
        // A name cp1252 cannot encode: the PDF must still carry it, readable as text.
        const string name = "Nguyễn Thị Ánh";
        var (_, email, password, _) = await ApiSession.CreateUserAccountAsync(fixture, ["compras"], name);
        using var user = await ApiSession.LoginAsync(fixture, email, password);
        var protocolo = NewProtocolo();

        var id = await SubmitAcceptedAsync(user.Client, "dfd", DfdBody(protocolo.ToLowerInvariant(), assunto: "Tradução — Łódź, Ελληνικά"));
        var done = await WaitForStatusAsync(fixture, user.Client, "dfd", id, "done", "error");

        Assert.Equal("done", done.GetProperty("status").GetString());
        Assert.Equal(protocolo, done.GetProperty("payload").GetProperty("protocolo").GetString()); // normalized to upper case
        Assert.Equal(13244.60m, done.GetProperty("result").GetProperty("valorTotal").GetDecimal());
        using var download = await user.Client.GetAsync($"/api/automations/dfd/submissions/{id}/download");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".pdf", download.Content.Headers.ContentDisposition?.FileNameStar, StringComparison.Ordinal);
        var pdf = await download.Content.ReadAsByteArrayAsync();
        var text = string.Join('\n', PdfText.Read(pdf).Select(p => p.Text)).Normalize(NormalizationForm.FormC);
        Assert.Contains($"Protocolo: {protocolo}", text, StringComparison.Ordinal);
        Assert.Contains($"Solicitante: {name} <{email}>", text, StringComparison.Ordinal);
        Assert.Contains("Assunto: Tradução — Łódź, Ελληνικά", text, StringComparison.Ordinal);
        Assert.Contains("R$ 13.244,60", text, StringComparison.Ordinal);
        Assert.Equal(1L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM submission_files WHERE submission_id = @id", ("id", id)));
    }

    [Fact]
    public async Task Download_answers_409_until_the_submission_is_done()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "automations.form2json");
        var id = await InsertSubmissionAsync(fixture, user.UserId, "queued", runAfterSql: "now() + interval '1 hour'");

        using var download = await user.Client.GetAsync($"/api/automations/form2json/submissions/{id}/download");

        Assert.Equal(HttpStatusCode.Conflict, download.StatusCode);
        var problem = await JsonAsync(download);
        Assert.Equal("not_ready", problem.GetProperty("code").GetString());
        Assert.Equal("queued", problem.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Catalog_and_schema_follow_the_callers_roles()
    {
        using var compras = await ApiSession.CreateUserAsync(fixture, "compras");
        using var plain = await ApiSession.CreateUserAsync(fixture, "user");

        var comprasSlugs = (await JsonAsync(await compras.Client.GetAsync("/api/automations"))).EnumerateArray().Select(e => e.GetProperty("slug").GetString()).ToList();
        var plainSlugs = (await JsonAsync(await plain.Client.GetAsync("/api/automations"))).EnumerateArray().Select(e => e.GetProperty("slug").GetString()).ToList();

        Assert.Contains("dfd", comprasSlugs);
        Assert.DoesNotContain("form2json", comprasSlugs);
        Assert.Contains("form2json", plainSlugs);
        Assert.DoesNotContain("dfd", plainSlugs);

        using var schema = await compras.Client.GetAsync("/api/automations/dfd/schema");
        var json = await JsonAsync(schema);
        Assert.Equal(HttpStatusCode.OK, schema.StatusCode);
        Assert.Equal("dfd", json.GetProperty("kind").GetString());
        Assert.Equal("object", json.GetProperty("schema").GetProperty("type").GetString());
        Assert.True(json.GetProperty("schema").GetProperty("properties").TryGetProperty("protocolo", out _));
    }

    [Fact]
    public async Task My_submissions_are_keyset_paginated_newest_first()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "automations.form2json");
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await InsertSubmissionAsync(fixture, user.UserId, "queued", runAfterSql: "now() + interval '1 hour'"));
        }

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = "/api/automations/form2json/submissions?limit=2" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await JsonAsync(await user.Client.GetAsync(url));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(ids.AsEnumerable().Reverse(), seen);
    }

    [Fact]
    public async Task The_openapi_document_lists_every_automation_and_panel_endpoint_with_a_summary()
    {
        using var client = fixture.CreateBffClient();
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/openapi/v1.json"));
        var paths = json.RootElement.GetProperty("paths");

        string[] expected =
        [
            "/api/automations", "/api/automations/{slug}/schema", "/api/automations/{slug}/submit", "/api/automations/{slug}/submissions",
            "/api/automations/{slug}/submissions/{id}", "/api/automations/{slug}/submissions/{id}/download",
            "/api/automations/{slug}/submissions/{id}/cancel", "/api/automations/{slug}/audits",
            "/api/control/audits", "/api/control/audits.csv", "/api/control/submissions", "/api/control/submissions.csv",
            "/api/control/submissions/{id}", "/api/control/facets",
        ];
        foreach (var path in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is missing from the OpenAPI document");
            foreach (var operation in item.EnumerateObject().Where(o => o.Name is "get" or "post"))
            {
                Assert.False(string.IsNullOrWhiteSpace(operation.Value.GetProperty("summary").GetString()), $"{operation.Name} {path} has no summary");
            }
        }
    }
}
