using System.Net;
using System.Text.Json;
using Agepar.Tests.Infrastructure;
using static Agepar.Tests.Automations.AutomationTestData;

namespace Agepar.Tests.Automations;

/// <summary>The durable queue: crash recovery through leases, cancellation, retries with back-off, then error.</summary>
[Collection(AppCollection.Name)]
public sealed class QueueTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task A_submission_left_running_by_a_crashed_worker_is_reclaimed_and_completed()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "automations.form2json");

        // What a replica that died mid-attempt leaves behind: running, attempt 1 counted, its lease already expired.
        // (The live BFF plays the restarted worker: the claim path for an expired lease is the same one a restart runs.)
        var id = await InsertSubmissionAsync(fixture, user.UserId, "running",
            leaseOwner: "crashed-worker:1:dead", leaseUntilSql: "now() - interval '1 minute'", attempts: 1);

        await WaitForDbAsync<string>(fixture, "SELECT status FROM submissions WHERE id = @id", s => s is "done" or "error", ("id", id));

        await using var connection = await OpenAsync(fixture);
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT status, attempts, lease_owner, (SELECT count(*) FROM submission_files f WHERE f.submission_id = s.id) FROM submissions s WHERE id = @id",
            connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("done", reader.GetString(0));
        Assert.Equal(2, reader.GetInt32(1));
        Assert.True(reader.IsDBNull(2));
        Assert.Equal(1L, reader.GetInt64(3));
        await reader.DisposeAsync();

        var reclaimedFrom = await ScalarAsync<string>(fixture, """
            SELECT metadata->>'reclaimedFrom' FROM audits
             WHERE object_type = 'submission' AND object_id = @id AND action = 'submission.started'
            """, ("id", id.ToString()));
        Assert.Equal("crashed-worker:1:dead", reclaimedFrom);
    }

    [Fact]
    public async Task A_submission_whose_every_attempt_died_ends_in_error_instead_of_looping()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "automations.form2json");
        // Three attempts already started and every one died with its worker (max_attempts defaults to 3).
        var id = await InsertSubmissionAsync(fixture, user.UserId, "running",
            leaseOwner: "crashed-worker:3:dead", leaseUntilSql: "now() - interval '1 minute'", attempts: 3);

        var status = await WaitForDbAsync<string>(fixture, "SELECT status FROM submissions WHERE id = @id", s => s is "done" or "error", ("id", id));

        Assert.Equal("error", status);
        Assert.Contains("interrupted too many times", await ScalarAsync<string>(fixture, "SELECT error FROM submissions WHERE id = @id", ("id", id)));
        Assert.Equal(0L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM submission_files WHERE submission_id = @id", ("id", id)));
    }

    [Fact]
    public async Task A_live_lease_is_left_alone()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "automations.form2json");
        var id = await InsertSubmissionAsync(fixture, user.UserId, "running",
            leaseOwner: "other-replica:1:alive", leaseUntilSql: "now() + interval '1 hour'", attempts: 1);
        var marker = await SubmitAcceptedAsync(user.Client, "form2json", Form2JsonBody());
        await WaitForStatusAsync(fixture, user.Client, "form2json", marker, "done"); // the worker has claimed since

        Assert.Equal("other-replica:1:alive", await ScalarAsync<string>(fixture, "SELECT lease_owner FROM submissions WHERE id = @id", ("id", id)));
        Assert.Equal(1, await ScalarAsync<int>(fixture, "SELECT attempts FROM submissions WHERE id = @id", ("id", id)));
    }

    [Fact]
    public async Task A_queued_submission_can_be_cancelled_and_is_never_processed()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "automations.form2json");
        // Queued but not runnable for an hour (as after a back-off), so the worker cannot take it first.
        var id = await InsertSubmissionAsync(fixture, user.UserId, "queued", runAfterSql: "now() + interval '1 hour'");

        using var cancel = await user.Client.PostAsync($"/api/automations/form2json/submissions/{id}/cancel", null);
        using var again = await user.Client.PostAsync($"/api/automations/form2json/submissions/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", (await JsonAsync(cancel)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("not_cancellable", (await JsonAsync(again)).GetProperty("code").GetString());

        // Make it runnable: a cancelled row must still never be claimed.
        await ExecuteAsync(fixture, "UPDATE submissions SET run_after = now() - interval '1 minute' WHERE id = @id", ("id", id));
        var marker = await SubmitAcceptedAsync(user.Client, "form2json", Form2JsonBody());
        await WaitForStatusAsync(fixture, user.Client, "form2json", marker, "done", "error"); // the worker has polled since

        var details = await JsonAsync(await user.Client.GetAsync($"/api/automations/form2json/submissions/{id}"));
        Assert.Equal("cancelled", details.GetProperty("status").GetString());
        Assert.Equal(0, details.GetProperty("attempts").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, details.GetProperty("finishedAt").ValueKind);
        var actions = await ScalarAsync<string[]>(fixture,
            "SELECT array_agg(action ORDER BY id) FROM audits WHERE object_type = 'submission' AND object_id = @id", ("id", id.ToString()));
        Assert.Equal(["submission.cancelled"], actions ?? []);
    }

    [Fact]
    public async Task Cancelling_a_done_submission_is_409()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "automations.form2json");
        var id = await SubmitAcceptedAsync(user.Client, "form2json", Form2JsonBody());
        await WaitForStatusAsync(fixture, user.Client, "form2json", id, "done");

        using var cancel = await user.Client.PostAsync($"/api/automations/form2json/submissions/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Equal("done", (await JsonAsync(cancel)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_failing_automation_is_retried_with_backoff_then_ends_in_error()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "user");

        var id = await SubmitAcceptedAsync(user.Client, "test-failing", new { });
        var final = await WaitForStatusAsync(fixture, user.Client, "test-failing", id, "error", "done");

        Assert.Equal("error", final.GetProperty("status").GetString());
        Assert.Equal(3, final.GetProperty("attempts").GetInt32());
        Assert.Equal(3, final.GetProperty("maxAttempts").GetInt32());
        Assert.Equal("Falha proposital na tentativa 3.", final.GetProperty("error").GetString());
        Assert.NotEqual(JsonValueKind.Null, final.GetProperty("finishedAt").ValueKind);

        await using var connection = await OpenAsync(fixture);
        await using var command = new Npgsql.NpgsqlCommand("""
            SELECT action, outcome, metadata->>'willRetry', occurred_at FROM audits
             WHERE object_type = 'submission' AND object_id = @id ORDER BY id
            """, connection);
        command.Parameters.AddWithValue("id", id.ToString());
        var rows = new List<(string Action, string Outcome, string? WillRetry, DateTime At)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetDateTime(3)));
            }
        }

        Assert.Equal(
            ["submission.created", "submission.started", "submission.failed", "submission.started", "submission.failed", "submission.started", "submission.failed"],
            rows.Select(r => r.Action));
        Assert.Equal(["true", "true", "false"], rows.Where(r => r.Action == "submission.failed").Select(r => r.WillRetry));
        Assert.All(rows.Where(r => r.Action == "submission.failed"), r => Assert.Equal("failure", r.Outcome));
        // Back-off: each retry starts no earlier than the previous failure plus the (jittered) base delay.
        var failures = rows.Where(r => r.Action == "submission.failed").Select(r => r.At).ToList();
        var starts = rows.Where(r => r.Action == "submission.started").Select(r => r.At).ToList();
        Assert.True(starts[1] - failures[0] >= TimeSpan.FromSeconds(3), $"retry 1 started {starts[1] - failures[0]} after the failure");
        Assert.True(starts[2] - failures[1] >= TimeSpan.FromSeconds(6), $"retry 2 started {starts[2] - failures[1]} after the failure");
    }

    [Fact]
    public async Task A_transient_failure_is_retried_and_then_succeeds()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "user");

        var id = await SubmitAcceptedAsync(user.Client, "test-failing", new { falhas = 1 });
        var final = await WaitForStatusAsync(fixture, user.Client, "test-failing", id, "done", "error");

        Assert.Equal("done", final.GetProperty("status").GetString());
        Assert.Equal(2, final.GetProperty("attempts").GetInt32());
        Assert.Equal(2, final.GetProperty("result").GetProperty("succeededOnAttempt").GetInt32());
        Assert.Equal(JsonValueKind.Null, final.GetProperty("error").ValueKind);
    }
}
