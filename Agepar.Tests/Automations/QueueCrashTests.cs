using System.Net;
using System.Net.Http.Json;
using Agepar.Tests.Infrastructure;
using static Agepar.Tests.Automations.AutomationTestData;

namespace Agepar.Tests.Automations;

/// <summary>
/// A worker process killed with SIGKILL while it holds a submission: the acknowledged (202) submission is not lost,
/// another replica reclaims it once the lease expires and completes it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class QueueCrashTests(AgeparAppFixture fixture)
{
    private const string Slug = "test-slow";

    [Fact]
    public async Task A_submission_held_by_a_killed_worker_process_is_completed_by_another_replica()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "user");
        await using var replica = await BffProcess.StartAsync(fixture, new Dictionary<string, string>
        {
            ["Automations__EnableTestAutomations"] = "true",
            // A short lease, so the AppHost's BFF may take the row over a few seconds after the kill.
            ["Automations__Queue__LeaseDuration"] = "00:00:10",
            ["Automations__Queue__ProcessingTimeout"] = "00:00:09",
        });
        using var client = replica.CreateClient(user);

        var (id, owner) = await SubmitUntilReplicaClaimsAsync(fixture, replica, client, seconds: 60);

        Assert.True(owner is not null, $"the replica never claimed a submission first:\n{replica.Output}");

        replica.Kill();

        // test-slow hangs on its first attempt only, as a job stuck in a dead worker; the reclaimed attempt finishes at once.
        // Nothing was written by the dying process: still running, attempt 1, its lease.
        Assert.Equal("running", await ScalarAsync<string>(fixture, "SELECT status FROM submissions WHERE id = @id", ("id", id)));
        Assert.Equal(owner, await ScalarAsync<string>(fixture, "SELECT lease_owner FROM submissions WHERE id = @id", ("id", id)));

        var done = await WaitForStatusAsync(fixture, user.Client, Slug, id, "done", "error");

        Assert.Equal("done", done.GetProperty("status").GetString());
        Assert.Equal(2, done.GetProperty("attempts").GetInt32());
        Assert.Equal(2, done.GetProperty("result").GetProperty("completedOnAttempt").GetInt32());
        Assert.Equal(owner, await ScalarAsync<string>(fixture, """
            SELECT metadata->>'reclaimedFrom' FROM audits
             WHERE object_type = 'submission' AND object_id = @id AND action = 'submission.started'
             ORDER BY id DESC LIMIT 1
            """, ("id", id.ToString())));
        Assert.Equal(
            ["submission.created", "submission.started", "submission.started", "submission.completed"],
            await ScalarAsync<string[]>(fixture,
                "SELECT array_agg(action ORDER BY id) FROM audits WHERE object_type = 'submission' AND object_id = @id", ("id", id.ToString())) ?? []);
    }
}
