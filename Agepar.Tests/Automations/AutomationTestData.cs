using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Agepar.Tests.Infrastructure;
using Npgsql;

namespace Agepar.Tests.Automations;

/// <summary>Bodies, HTTP shortcuts, bounded polls and direct database access (as the container superuser) for these tests.</summary>
internal static class AutomationTestData
{
    public static object Form2JsonBody(string nome = "Maria da Silva") => new
    {
        nome,
        email = "maria@agepar.test",
        departamento = "DAF",
        prioridade = "alta",
        data = "05/03/2026",
        aceitaTermos = true,
        itens = new[] { new { descricao = "Cadeira ergonômica", quantidade = "2" }, new { descricao = "Mesa", quantidade = "1,5" } },
    };

    public static object DfdBody(string protocolo, string assunto = "Aquisição de cadeiras") => new
    {
        ano = 2026,
        diretoria = "DAF",
        protocolo,
        assunto,
        justificativa = "As cadeiras atuais estão danificadas.\nSubstituição necessária.",
        dataPretendida = "01/06/2026",
        itens = new[]
        {
            new { descricao = "Cadeira ergonômica", quantidade = "10", valorUnitario = "1.234,56" },
            new { descricao = "Apoio para os pés", quantidade = "10", valorUnitario = "R$ 89,90" },
        },
    };

    /// <summary>A protocolo no other test uses (the DFD unique index is global).</summary>
    public static string NewProtocolo() => $"T{Guid.NewGuid():N}"[..16].ToUpperInvariant();

    public static Task<HttpResponseMessage> SubmitAsync(HttpClient client, string slug, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/automations/{slug}/submit") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> SubmitRawAsync(HttpClient client, string slug, string body, string contentType = "application/json") =>
        client.PostAsync($"/api/automations/{slug}/submit", new StringContent(body, Encoding.UTF8, contentType));

    /// <summary>Submits and returns the new submission id, failing with the answer unless it is 202.</summary>
    public static async Task<Guid> SubmitAcceptedAsync(HttpClient client, string slug, object body)
    {
        using var response = await SubmitAsync(client, slug, body);
        var json = await JsonAsync(response);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"submit {slug}: {(int)response.StatusCode} {json}");
        return json.GetProperty("submissionId").GetGuid();
    }

    /// <summary>Polls GET submissions/{id} until its status is one of <paramref name="statuses"/> (bounded).</summary>
    /// <summary>
    /// Submits the slow test automation through <paramref name="replica"/> until the replica's own worker claims it
    /// (its submit wakes it at once; the AppHost's BFF only polls, so it rarely wins — that submission then just
    /// completes and another is sent): the submission's id and its lease owner, or null after five tries.
    /// </summary>
    public static async Task<(Guid Id, string? Owner)> SubmitUntilReplicaClaimsAsync(
        AgeparAppFixture fixture, BffProcess replica, HttpClient client, int seconds)
    {
        Guid id = default;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var submit = await client.PostAsJsonAsync("/api/automations/test-slow/submit", new { segundos = seconds });
            Assert.True(submit.StatusCode == HttpStatusCode.Accepted, await DescribeAsync(submit));
            id = (await JsonAsync(submit)).GetProperty("submissionId").GetGuid();
            var claimedBy = await WaitForDbAsync<string>(fixture,
                "SELECT lease_owner FROM submissions WHERE id = @id AND status = 'running'", o => o is not null, ("id", id));
            if (claimedBy!.Contains($":{replica.ProcessId}:", StringComparison.Ordinal))
            {
                return (id, claimedBy);
            }
        }

        return (id, null);
    }

    public static async Task<JsonElement> WaitForStatusAsync(AgeparAppFixture fixture, HttpClient client, string slug, Guid id, params string[] statuses)
    {
        var last = "(no answer)";
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < AgeparAppFixture.StepTimeout)
        {
            using var response = await client.GetAsync($"/api/automations/{slug}/submissions/{id}");
            var text = await response.Content.ReadAsStringAsync();
            last = $"{(int)response.StatusCode} {text}";
            if (response.IsSuccessStatusCode)
            {
                using var json = JsonDocument.Parse(text);
                if (statuses.Contains(json.RootElement.GetProperty("status").GetString()))
                {
                    return json.RootElement.Clone();
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Submission {id} never reached {string.Join('/', statuses)}; last: {last}\n{fixture.Logs.Dump("bff")}");
    }

    /// <summary>Polls a database value until <paramref name="done"/> holds (bounded).</summary>
    public static async Task<T?> WaitForDbAsync<T>(AgeparAppFixture fixture, string sql, Func<T?, bool> done, params (string Name, object? Value)[] parameters)
    {
        T? last = default;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < AgeparAppFixture.StepTimeout)
        {
            last = await ScalarAsync<T>(fixture, sql, parameters);
            if (done(last))
            {
                return last;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Condition not met; last value {last} for: {sql}\n{fixture.Logs.Dump("bff")}");
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0)
        {
            return default;
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    public static async Task<string> DescribeAsync(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";

    public static Task<Guid> InsertSubmissionAsync(
        AgeparAppFixture fixture, Guid actorUserId, string status, string runAfterSql = "now()", string kind = "form2json",
        string? leaseOwner = null, string leaseUntilSql = "NULL", int attempts = 0, string? actorName = "Inserida pelo teste") =>
        ScalarAsync<Guid>(fixture, $"""
            INSERT INTO submissions (kind, kind_version, actor_user_id, actor_name, actor_email, payload, status, attempts,
                                     lease_owner, lease_until, run_after, started_at)
            VALUES (@kind, '1.0.0', @actor, @name, 'inserida@agepar.test', @payload::jsonb, @status, @attempts,
                    @owner, {leaseUntilSql}, {runAfterSql}, CASE WHEN @status = 'running' THEN now() - interval '10 minutes' END)
            RETURNING id
            """,
            ("kind", kind), ("actor", actorUserId), ("name", actorName), ("payload", NormalizedForm2JsonPayload), ("status", status),
            ("attempts", attempts), ("owner", leaseOwner))!;

    /// <summary>A payload as form2json's validation stores it.</summary>
    public const string NormalizedForm2JsonPayload = """
        {"nome":"Inserida","email":"inserida@agepar.test","departamento":null,"prioridade":"media","data":"2026-03-05","aceitaTermos":true,"itens":[]}
        """;
}
