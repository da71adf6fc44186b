using System.Net;
using System.Net.Http.Json;
using Agepar.Tests.Infrastructure;
using static Agepar.Tests.Automations.AutomationTestData;

namespace Agepar.Tests.Automations;

/// <summary>Idempotency keys and the DFD protocolo rule, decided by unique indexes (also under concurrency).</summary>
[Collection(AppCollection.Name)]
public sealed class SubmitUniquenessTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task Same_idempotency_key_and_body_replays_the_same_submission_a_different_body_is_409()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "automations.form2json");
        var key = $"key-{Guid.NewGuid():N}";

        using var first = await SubmitAsync(user.Client, "form2json", Form2JsonBody("Ana"), key);
        using var replay = await SubmitAsync(user.Client, "form2json", Form2JsonBody("Ana"), key);
        // Same content, different spelling: the hash is taken over the normalized payload.
        using var respelled = await SubmitRawAsync(user.Client, "form2json",
            """{"aceitaTermos":true,"data":"2026-03-05","nome":" Ana ","email":"MARIA@agepar.test","departamento":"DAF","prioridade":"Alta","itens":[{"descricao":"Cadeira ergonômica","quantidade":2},{"descricao":"Mesa","quantidade":"1,5"}]}""");
        using var conflict = await SubmitAsync(user.Client, "form2json", Form2JsonBody("Beatriz"), key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var id = (await JsonAsync(first)).GetProperty("submissionId").GetGuid();
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(id, (await JsonAsync(replay)).GetProperty("submissionId").GetGuid());
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.Accepted, respelled.StatusCode); // no key: a new submission
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var problem = await JsonAsync(conflict);
        Assert.Equal("idempotency_key_reused", problem.GetProperty("code").GetString());

        using var respelledReplay = new HttpRequestMessage(HttpMethod.Post, "/api/automations/form2json/submit")
        {
            Content = new StringContent(
                """{"nome":"Ana","email":"maria@agepar.test","departamento":"DAF","prioridade":"alta","data":"05/03/2026","aceitaTermos":true,"itens":[{"descricao":"Cadeira ergonômica","quantidade":"2"},{"descricao":"Mesa","quantidade":1.5}]}""",
                System.Text.Encoding.UTF8, "application/json"),
        };
        respelledReplay.Headers.Add("Idempotency-Key", key);
        using var replay2 = await user.Client.SendAsync(respelledReplay);
        Assert.Equal(HttpStatusCode.OK, replay2.StatusCode);
        Assert.Equal(id, (await JsonAsync(replay2)).GetProperty("submissionId").GetGuid());

        Assert.Equal(2L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM submissions WHERE actor_user_id = @u", ("u", user.UserId)));
    }

    [Fact]
    public async Task Concurrent_submits_with_one_idempotency_key_give_one_submission_and_a_different_body_is_409()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "automations.form2json");
        var key = $"par-{Guid.NewGuid():N}";

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => SubmitAsync(user.Client, "form2json", Form2JsonBody("Ana"), key)));
        try
        {
            var ids = new List<Guid>();
            foreach (var response in responses)
            {
                Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, await DescribeAsync(response));
                ids.Add((await JsonAsync(response)).GetProperty("submissionId").GetGuid());
            }

            Assert.Single(ids.Distinct());
            Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }

        var different = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => SubmitAsync(user.Client, "form2json", Form2JsonBody($"Outra {i}"), key)));
        foreach (var response in different)
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
                Assert.Equal("idempotency_key_reused", (await JsonAsync(response)).GetProperty("code").GetString());
            }
        }

        Assert.Equal(1L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM submissions WHERE actor_user_id = @u", ("u", user.UserId)));
        Assert.Equal(1L, await ScalarAsync<long>(fixture,
            "SELECT count(*) FROM audits WHERE actor_user_id = @u AND action = 'submission.created' AND outcome = 'success'", ("u", user.UserId)));
    }

    /// <summary>
    /// The BFF's test-only fault (<c>X-Test-Lose-Commit-Ack</c>) commits the insert, then reports a dropped connection,
    /// as when COMMIT's acknowledgement is lost. Before the fix the execution strategy re-ran the insert and failed on
    /// the submission's own primary key: 500 for a submission that had been stored.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_submit_whose_commit_acknowledgement_is_lost_answers_once_with_the_stored_submission(bool withKey)
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "automations.form2json");
        var key = withKey ? $"ack-{Guid.NewGuid():N}" : null;

        using var lost = new HttpRequestMessage(HttpMethod.Post, "/api/automations/form2json/submit") { Content = JsonContent.Create(Form2JsonBody("Ana")) };
        lost.Headers.Add("X-Test-Lose-Commit-Ack", "true");
        if (key is not null)
        {
            lost.Headers.Add("Idempotency-Key", key);
        }

        using var first = await user.Client.SendAsync(lost);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var id = (await JsonAsync(first)).GetProperty("submissionId").GetGuid();
        Assert.Equal(1L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM submissions WHERE actor_user_id = @u", ("u", user.UserId)));
        Assert.Equal(id, await ScalarAsync<Guid>(fixture, "SELECT id FROM submissions WHERE actor_user_id = @u", ("u", user.UserId)));
        Assert.Equal(1L, await ScalarAsync<long>(fixture,
            "SELECT count(*) FROM audits WHERE actor_user_id = @u AND action = 'submission.created'", ("u", user.UserId)));

        if (key is not null)
        {
            // The client never saw that answer and retries with the same key: the same submission, still one row.
            using var retry = await SubmitAsync(user.Client, "form2json", Form2JsonBody("Ana"), key);
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
            Assert.Equal(id, (await JsonAsync(retry)).GetProperty("submissionId").GetGuid());
            Assert.Equal(1L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM submissions WHERE actor_user_id = @u", ("u", user.UserId)));
        }
    }

    [Fact]
    public async Task Concurrent_dfd_submits_with_one_protocolo_accept_exactly_one()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "compras");
        var protocolo = NewProtocolo();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            SubmitAsync(user.Client, "dfd", DfdBody(i % 2 == 0 ? protocolo : $" {protocolo.ToLowerInvariant()} ", $"Assunto {i}"))));
        try
        {
            var codes = responses.Select(r => r.StatusCode).ToList();
            Assert.Equal(1, codes.Count(c => c == HttpStatusCode.Accepted));
            Assert.Equal(7, codes.Count(c => c == HttpStatusCode.Conflict));
            foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            {
                Assert.Equal("duplicate_protocolo", (await JsonAsync(conflict)).GetProperty("code").GetString());
            }
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }

        Assert.Equal(1L, await ScalarAsync<long>(fixture,
            "SELECT count(*) FROM submissions WHERE kind = 'dfd' AND payload->>'protocolo' = @p", ("p", protocolo)));
        Assert.Equal(7L, await ScalarAsync<long>(fixture, """
            SELECT count(*) FROM audits
             WHERE actor_user_id = @u AND action = 'submission.created' AND outcome = 'failure' AND metadata->>'reason' = 'duplicate_protocolo'
            """, ("u", user.UserId)));
    }

    [Fact]
    public async Task A_cancelled_dfd_frees_its_protocolo()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "compras");
        var protocolo = NewProtocolo();
        var first = await ScalarAsync<Guid>(fixture, """
            INSERT INTO submissions (kind, kind_version, actor_user_id, payload, status, run_after)
            VALUES ('dfd', '1.0.0', @u, jsonb_build_object('protocolo', @p), 'queued', now() + interval '1 hour') RETURNING id
            """, ("u", user.UserId), ("p", protocolo));

        using var duplicate = await SubmitAsync(user.Client, "dfd", DfdBody(protocolo));
        using var cancel = await user.Client.PostAsync($"/api/automations/dfd/submissions/{first}/cancel", null);
        using var again = await SubmitAsync(user.Client, "dfd", DfdBody(protocolo));

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
    }
}
