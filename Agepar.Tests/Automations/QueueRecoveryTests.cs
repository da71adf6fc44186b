using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Agepar.Tests.Infrastructure;
using Npgsql;
using static Agepar.Tests.Automations.AutomationTestData;

namespace Agepar.Tests.Automations;

/// <summary>
/// Leases are given back, not left to expire. postgres SIGKILLed while the (live) worker holds leases: once the database is back, the worker records the
/// outcomes it could not write (retrying with back-off) instead of leaving the jobs `running` until their leases
/// expire (5 minutes), so every submission ends within seconds, runs to completion once, with a complete audit trail.
/// A replica stopped with SIGTERM hands its running jobs back at once.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class QueueRecoveryTests(AgeparAppFixture fixture)
{
    private const string Slug = "test-slow";
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Jobs_running_when_postgres_is_killed_all_end_within_30_s_of_its_return_and_complete_once()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "user");
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            using var submit = await user.Client.PostAsJsonAsync($"/api/automations/{Slug}/submit", new { segundos = 6 });
            Assert.True(submit.StatusCode == HttpStatusCode.Accepted, await DescribeAsync(submit));
            ids.Add((await JsonAsync(submit)).GetProperty("submissionId").GetGuid());
        }

        var idArray = ids.ToArray();
        await WaitForDbAsync<long>(fixture, "SELECT count(*) FROM submissions WHERE id = ANY(@ids) AND status = 'running'", n => n >= 3, ("ids", idArray));

        await using var asynchronous = await fixture.AsynchronousReplicationAsync();
        var postgres = await fixture.ContainerIdAsync("postgres");
        await ContainerEngine.RunAsync("kill", postgres);
        try
        {
            // Down for longer than the jobs take and than the worker's old 30 s recording budget: the jobs finish
            // while nothing can be written.
            await Task.Delay(TimeSpan.FromSeconds(35));
        }
        finally
        {
            await fixture.App.ResourceCommands.ExecuteCommandAsync("postgres", "resource-start");
        }

        await WaitForDatabaseAsync();
        var back = Stopwatch.StartNew();
        long terminal = 0;
        while (back.Elapsed < RecoveryBound)
        {
            terminal = await ScalarAsync<long>(fixture,
                "SELECT count(*) FROM submissions WHERE id = ANY(@ids) AND status IN ('done', 'error', 'cancelled')", ("ids", idArray));
            if (terminal == ids.Count)
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.True(terminal == ids.Count,
            $"{terminal} of {ids.Count} submissions ended within {RecoveryBound} of the database's return:\n" +
            await DescribeSubmissionsAsync(idArray) + "\n" + fixture.Logs.Dump("bff"));
        foreach (var id in ids)
        {
            Assert.Equal("done", await ScalarAsync<string>(fixture, "SELECT status FROM submissions WHERE id = @id", ("id", id)));
            var trail = await ScalarAsync<string[]>(fixture,
                "SELECT array_agg(action ORDER BY id) FROM audits WHERE object_type = 'submission' AND object_id = @id", ("id", id.ToString())) ?? [];
            Assert.True(trail.Length >= 3, string.Join(", ", trail));
            Assert.Equal("submission.created", trail[0]);
            Assert.Equal("submission.completed", trail[^1]);
            Assert.Equal(1, trail.Count(a => a == "submission.completed")); // ran to completion once
            Assert.Contains("submission.started", trail);
            // Every start but the last ended in a recorded failure or hand-back: no attempt vanished from the trail.
            Assert.Equal(trail.Count(a => a == "submission.started") - 1, trail.Count(a => a == "submission.failed"));
        }
    }

    [Fact]
    public async Task A_sigterm_hands_the_replicas_running_jobs_back_at_once_instead_of_at_lease_expiry()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "user");
        await using var replica = await BffProcess.StartAsync(fixture, new Dictionary<string, string>
        {
            ["Automations__EnableTestAutomations"] = "true",
            // The default 5-minute lease: the test's bounded wait (2 min) ends long before it could expire.
            // Past 2 s the stopping host aborts the attempt (HostOptions; the default 30 s is also shorter than the job).
            ["shutdownTimeoutSeconds"] = "2",
        });
        using var client = replica.CreateClient(user);

        var (id, owner) = await SubmitUntilReplicaClaimsAsync(fixture, replica, client, seconds: 40);

        Assert.True(owner is not null, $"the replica never claimed a submission first:\n{replica.Output}");
        var stopping = Stopwatch.StartNew();
        var exitCode = await replica.TerminateAsync();
        var stoppedIn = stopping.Elapsed;

        // Handed back by the stopping replica (not left to its lease), then run by the AppHost's BFF.
        var released = await ScalarAsync<string>(fixture, """
            SELECT metadata->>'error' FROM audits
             WHERE object_type = 'submission' AND object_id = @id AND action = 'submission.failed' AND metadata->>'worker' = @owner
            """, ("id", id.ToString()), ("owner", owner));
        Assert.True(released is not null && released.Contains("shutting down", StringComparison.Ordinal), $"no hand-back audited (exit code {exitCode} after {stoppedIn}):\n{replica.Output}");
        var done = await WaitForStatusAsync(fixture, user.Client, Slug, id, "done", "error");
        Assert.Equal("done", done.GetProperty("status").GetString());
        Assert.Equal(
            ["submission.created", "submission.started", "submission.failed", "submission.started", "submission.completed"],
            await ScalarAsync<string[]>(fixture,
                "SELECT array_agg(action ORDER BY id) FROM audits WHERE object_type = 'submission' AND object_id = @id", ("id", id.ToString())) ?? []);
    }

    private async Task WaitForDatabaseAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await ScalarAsync<int>(fixture, "SELECT 1");
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException && clock.Elapsed < AgeparAppFixture.StepTimeout)
            {
                await Task.Delay(500);
            }
        }
    }

    private async Task<string> DescribeSubmissionsAsync(Guid[] ids) =>
        string.Join('\n', await ScalarAsync<string[]>(fixture,
            "SELECT array_agg(id || ' ' || status || ' attempts=' || attempts || ' lease=' || coalesce(lease_owner, '-') || ' until=' || coalesce(lease_until::text, '-')) FROM submissions WHERE id = ANY(@ids)",
            ("ids", ids)) ?? []);
}
