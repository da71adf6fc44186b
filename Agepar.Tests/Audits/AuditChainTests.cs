using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Agepar.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;
using static Agepar.Tests.Automations.AutomationTestData;

namespace Agepar.Tests.Audits;

/// <summary>
/// The tamper-evident audit chain end to end: each tampering of issue 9, done the way an owner or superuser would,
/// is reported by POST /api/admin/audits/verify with the row's id, time and reason; a recorded retention drop is not.
/// The tests share the database with every other test, so each one repairs what it tampered with (or holds the
/// sealer's lock so the tampered row is never sealed) and ends with a full verification that says intact again —
/// which also puts /api/health and agepar.audit.chain.intact back.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AuditChainTests(AgeparAppFixture fixture, ITestOutputHelper output)
{
    /// <summary>The sealer's advisory lock key (Agepar.Bff AuditSealer.AdvisoryLockKey).</summary>
    private const long SealerLockKey = 7_243_120_901_337;

    [Fact]
    public async Task An_updated_field_is_a_break_health_degrades_and_the_gauge_drops_until_the_row_is_restored()
    {
        using var admin = await ApiSession.AdminAsync(fixture);
        var ids = await InsertRowsAsync(3, "now()");
        await WaitSealedAsync(ids);

        await OwnerExecuteAsync("UPDATE audits SET outcome = 'failure' WHERE id = @id", ("id", ids[1]));
        var tampered = await VerifyAsync(admin);
        output.WriteLine($"verify after UPDATE of audit {ids[1]}: {tampered}");

        Assert.False(tampered.GetProperty("intact").GetBoolean());
        var found = Assert.Single(Breaks(tampered), b => b.Id == ids[1]);
        Assert.Contains("content changed", found.Reason);
        Assert.DoesNotContain(Breaks(tampered), b => b.Id == ids[0] || b.Id == ids[2]);
        Assert.Equal("Degraded", (await HealthAsync()).GetProperty("checks").GetProperty("audit-chain").GetProperty("status").GetString());
        await ScrapeUntilAsync(@"(?m)^agepar_audit_chain_intact(\{[^}]*\})? 0\b");

        // While a check is Degraded, a flood of anonymous probes writes no log line per probe (it used to write one
        // warning each: an unbounded log amplifier); the alert is the background publisher's one line per period.
        using (var bffLog = fixture.Logs.Tap("bff"))
        {
            using var client = fixture.CreateBffClient();
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                for (var i = 0; i < 25; i++)
                {
                    using var probe = await client.GetAsync("/api/health");
                    Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
                }
            }));
            var alert = await bffLog.WaitForAsync("Health check audit-chain is Degraded", TimeSpan.FromSeconds(90));
            output.WriteLine($"publisher: {alert}; {bffLog.Lines.Count} BFF lines while 200 probes ran");
            Assert.DoesNotContain(bffLog.Lines, l => l.Contains("DefaultHealthCheckService") || l.Contains("with status Degraded completed"));
            Assert.InRange(bffLog.Lines.Count(l => l.Contains("audit-chain")), 1, 4);
        }

        await OwnerExecuteAsync("UPDATE audits SET outcome = 'success' WHERE id = @id", ("id", ids[1]));
        await AssertIntactAsync(admin);
        Assert.Equal("Healthy", (await HealthAsync()).GetProperty("checks").GetProperty("audit-chain").GetProperty("status").GetString());
        await ScrapeUntilAsync(@"(?m)^agepar_audit_chain_intact(\{[^}]*\})? 1\b");
    }

    [Fact]
    public async Task A_row_that_commits_after_higher_ids_were_sealed_is_still_sealed_and_the_chain_stays_intact()
    {
        using var admin = await ApiSession.AdminAsync(fixture);
        // A transaction takes its audit id, then waits while later ids are inserted and sealed: its row commits below
        // the sealer's high-water mark, which only the late-commit look (AuditChain:LateCommitCheckInterval) finds.
        await using var slow = await OpenAsync(fixture, DbRole.App);
        await using var tx = await slow.BeginTransactionAsync();
        await using var insert = Command(slow, """
            INSERT INTO audits (action, outcome, actor_name, object_type, object_id, metadata)
            VALUES ('auth.login', 'success', 'Commit Tardio', 'test', 'late-commit', '{}') RETURNING id
            """);
        insert.Transaction = tx;
        var lateId = (long)(await insert.ExecuteScalarAsync())!;

        var later = await InsertRowsAsync(2, "now()");
        Assert.All(later, id => Assert.True(id > lateId));
        await WaitSealedAsync(later);
        await tx.CommitAsync();

        await WaitSealedAsync([lateId]);
        var order = await ScalarAsync<long[]>(fixture, "SELECT array_agg(audit_id ORDER BY seq) FROM audit_seals WHERE audit_id = ANY(@ids)",
            ("ids", new[] { lateId, later[0], later[1] }));
        Assert.Equal(lateId, order![^1]); // sealed after the higher ids: the chain order is the seal order
        await AssertIntactAsync(admin);
    }

    [Fact]
    public async Task The_owners_set_local_delete_is_a_break_naming_the_deleted_row()
    {
        using var admin = await ApiSession.AdminAsync(fixture);
        var marker = "chain-del-" + Guid.NewGuid().ToString("N")[..8];
        var ids = await InsertRowsAsync(2, "now()", marker, action: "auth.login_failed");
        await WaitSealedAsync(ids);
        var saved = await SaveRowsAsync(ids);

        // The issue's one-liner, as the owner (agepar_admin after SET ROLE agepar_owner), limited to this test's rows.
        await using (var owner = await OpenAsync(fixture, DbRole.Owner))
        {
            await using var tx = await owner.BeginTransactionAsync();
            await new NpgsqlCommand("SET LOCAL agepar.audit_maintenance = 'on'", owner, tx).ExecuteNonQueryAsync();
            await Command(owner, "DELETE FROM audits WHERE action = 'auth.login_failed' AND object_id = @m", ("m", marker)).ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }

        var result = await VerifyAsync(admin);
        output.WriteLine($"verify after the owner's DELETE: {result}");
        Assert.False(result.GetProperty("intact").GetBoolean());
        foreach (var id in ids)
        {
            var found = Assert.Single(Breaks(result), b => b.Id == id);
            Assert.Contains("row missing", found.Reason);
            Assert.NotNull(found.OccurredAt);
        }

        await RestoreRowsAsync(saved);
        await AssertIntactAsync(admin);
    }

    [Fact]
    public async Task A_row_inserted_later_with_a_past_timestamp_is_a_break()
    {
        using var admin = await ApiSession.AdminAsync(fixture);
        var marker = "chain-back-" + Guid.NewGuid().ToString("N")[..8];
        await using var pause = await OpenAsync(fixture);
        // Hold the sealer's lock so the back-dated row stays unsealed and can be removed again afterwards.
        await Command(pause, "SELECT pg_advisory_lock(@k)", ("k", SealerLockKey)).ExecuteNonQueryAsync();
        try
        {
            // The application role itself may insert audits, with any occurred_at.
            await using (var app = await OpenAsync(fixture, DbRole.App))
            {
                await Command(app, """
                    INSERT INTO audits (occurred_at, action, outcome, object_type, object_id)
                    VALUES ('2001-03-04T05:06:07Z', 'auth.login', 'success', 'test', @m)
                    """, ("m", marker)).ExecuteNonQueryAsync();
            }

            var id = await ScalarAsync<long>(fixture, "SELECT id FROM audits WHERE object_id = @m", ("m", marker));
            var result = await VerifyAsync(admin);
            output.WriteLine($"verify after a back-dated INSERT: {result}");

            Assert.False(result.GetProperty("intact").GetBoolean());
            var found = Assert.Single(Breaks(result), b => b.Id == id);
            Assert.Equal(new DateTimeOffset(2001, 3, 4, 5, 6, 7, TimeSpan.Zero), found.OccurredAt);
            Assert.Contains("back-dated", found.Reason);

            await OwnerExecuteAsync("DELETE FROM audits WHERE object_id = @m", ("m", marker));
        }
        finally
        {
            await Command(pause, "SELECT pg_advisory_unlock(@k)", ("k", SealerLockKey)).ExecuteNonQueryAsync();
        }

        await AssertIntactAsync(admin);
    }

    [Fact]
    public async Task A_dropped_partition_is_a_break_for_each_of_its_sealed_rows()
    {
        using var admin = await ApiSession.AdminAsync(fixture);
        // A month of its own (in the future, so its rows are not back-dated while they exist), made by the owner
        // like ensure_audit_partitions would, so the schema keeps a single owner (OwnerRoleTests).
        const string partition = "audits_y2098m03";
        await OwnerDdlAsync($"CREATE TABLE {partition} PARTITION OF audits FOR VALUES FROM ('2098-03-01 00:00:00+00') TO ('2098-04-01 00:00:00+00')");
        var ids = await InsertRowsAsync(2, "'2098-03-10T10:00:00Z'::timestamptz");
        await WaitSealedAsync(ids);
        var saved = await SaveRowsAsync(ids);

        await ExecuteAsync(fixture, $"DROP TABLE {partition}");
        var result = await VerifyAsync(admin);
        output.WriteLine($"verify after DROP TABLE {partition}: {result}");

        Assert.False(result.GetProperty("intact").GetBoolean());
        foreach (var id in ids)
        {
            var found = Assert.Single(Breaks(result), b => b.Id == id);
            Assert.Equal(new DateTimeOffset(2098, 3, 10, 10, 0, 0, TimeSpan.Zero), found.OccurredAt);
            Assert.Contains("partition dropped without a record", found.Reason);
        }

        await OwnerDdlAsync($"CREATE TABLE {partition} PARTITION OF audits FOR VALUES FROM ('2098-03-01 00:00:00+00') TO ('2098-04-01 00:00:00+00')");
        await RestoreRowsAsync(saved);
        await AssertIntactAsync(admin);
    }

    [Fact]
    public async Task Retention_records_what_it_dropped_and_the_chain_stays_intact()
    {
        using var admin = await ApiSession.AdminAsync(fixture);
        // An old month of its own, made by the owner like ensure_audit_partitions would.
        const string partition = "audits_y2000m01";
        await using (var owner = await OpenAsync(fixture, DbRole.Owner))
        {
            await Command(owner, $"CREATE TABLE {partition} PARTITION OF audits FOR VALUES FROM ('2000-01-01 00:00:00+00') TO ('2000-02-01 00:00:00+00')").ExecuteNonQueryAsync();
        }

        var ids = await InsertRowsAsync(3, "'2000-01-15T12:00:00Z'::timestamptz");
        await WaitSealedAsync(ids);
        var lastLink = await ScalarAsync<byte[]>(fixture, "SELECT link FROM audit_seals WHERE audit_id = ANY(@ids) ORDER BY seq DESC LIMIT 1", ("ids", ids));

        string[] dropped;
        await using (var owner = await OpenAsync(fixture, DbRole.Owner))
        await using (var drop = Command(owner, "SELECT array_agg(p) FROM drop_audit_partitions_older_than('2000-02-01') AS p"))
        {
            dropped = (string[])(await drop.ExecuteScalarAsync())!;
        }

        Assert.Equal([partition], dropped);
        await using (var connection = await OpenAsync(fixture))
        await using (var reader = await Command(connection, """
            SELECT range_from, range_to, row_count, sealed_count, last_link, dropped_by FROM audit_partition_drops
             WHERE partition_name = @p ORDER BY id DESC LIMIT 1
            """, ("p", partition)).ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("range_from")));
            Assert.Equal(new DateTimeOffset(2000, 2, 1, 0, 0, 0, TimeSpan.Zero), reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("range_to")));
            Assert.Equal(3L, reader.GetInt64(reader.GetOrdinal("row_count")));
            Assert.Equal(3L, reader.GetInt64(reader.GetOrdinal("sealed_count")));
            Assert.Equal(lastLink, reader.GetFieldValue<byte[]>(reader.GetOrdinal("last_link")));
            // session_user: the login that ran the retention, not the role it acted as (always agepar_owner).
            Assert.Equal("agepar_admin", reader.GetString(reader.GetOrdinal("dropped_by")));
        }

        await AssertIntactAsync(admin);
        var scoped = await VerifyAsync(admin, "?since=2000-01-01T00:00:00Z&until=2000-02-01T00:00:00Z");
        output.WriteLine($"verify of the dropped month after retention: {scoped}");
        Assert.True(scoped.GetProperty("intact").GetBoolean(), scoped.ToString());
        Assert.Equal(3, scoped.GetProperty("checked").GetInt64());
    }

    [Fact]
    public async Task Verify_is_for_admins_and_auditors_checks_its_input_and_is_audited()
    {
        using var plain = await ApiSession.CreateUserAsync(fixture, "user");
        using var auditor = await ApiSession.CreateUserAsync(fixture, "auditor");

        using var denied = await plain.Client.PostAsync("/api/admin/audits/verify", null);
        using var reversed = await auditor.Client.PostAsync("/api/admin/audits/verify?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z", null);
        using var garbage = await auditor.Client.PostAsync("/api/admin/audits/verify?since=yesterday", null);
        var since = DateTime.UtcNow.AddMinutes(-10).ToString("yyyy-MM-ddTHH:mm:ssZ");
        using var ok = await auditor.Client.PostAsync($"/api/admin/audits/verify?since={since}", null);

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        Assert.Equal("application/problem+json", reversed.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.True(ok.StatusCode == HttpStatusCode.OK, await DescribeAsync(ok));
        var body = await JsonAsync(ok);
        Assert.True(body.GetProperty("intact").GetBoolean(), body.ToString());
        Assert.True(body.GetProperty("checked").GetInt64() >= 0);
        Assert.Equal(1L, await ScalarAsync<long>(fixture,
            "SELECT count(*) FROM audits WHERE actor_user_id = @u AND action = 'audit.chain_verified' AND outcome = 'success'", ("u", auditor.UserId)));

        using var client = fixture.CreateBffClient();
        using var openApi = JsonDocument.Parse(await client.GetStringAsync("/api/openapi/v1.json"));
        var verify = openApi.RootElement.GetProperty("paths").GetProperty("/api/admin/audits/verify").GetProperty("post");
        Assert.False(string.IsNullOrWhiteSpace(verify.GetProperty("summary").GetString()));
        Assert.Contains(verify.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "since");
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private async Task<long[]> InsertRowsAsync(int count, string occurredAt, string? marker = null, string action = "auth.login")
    {
        marker ??= "chain-" + Guid.NewGuid().ToString("N")[..8];
        await using var connection = await OpenAsync(fixture, DbRole.App);
        await using var command = Command(connection, $"""
            INSERT INTO audits (occurred_at, action, outcome, actor_name, object_type, object_id, ip, metadata)
            SELECT {occurredAt}, @action, 'success', 'Zé Ninguém', 'test', @m, '10.1.2.3', jsonb_build_object('n', n, 'texto', 'ação')
              FROM generate_series(1, @count) AS n
            RETURNING id
            """, ("action", action), ("m", marker), ("count", count));
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return [.. ids.Order()];
    }

    private async Task WaitSealedAsync(long[] ids)
    {
        using var cts = new CancellationTokenSource(AgeparAppFixture.StepTimeout);
        while (await ScalarAsync<long>(fixture, "SELECT count(*) FROM audit_seals WHERE audit_id = ANY(@ids)", ("ids", ids)) < ids.Length)
        {
            await Task.Delay(250, cts.Token);
        }
    }

    private async Task<string[]> SaveRowsAsync(long[] ids)
    {
        var json = await ScalarAsync<string[]>(fixture, "SELECT array_agg(row_to_json(a)::text ORDER BY id) FROM audits a WHERE id = ANY(@ids)", ("ids", ids));
        Assert.Equal(ids.Length, json!.Length);
        return json;
    }

    /// <summary>Puts rows back exactly as they were (same id, same content): the chain verifies again.</summary>
    private Task RestoreRowsAsync(string[] rows) =>
        ExecuteAsync(fixture, "INSERT INTO audits OVERRIDING SYSTEM VALUE SELECT r.* FROM unnest(@rows) AS j, json_populate_record(NULL::audits, j::json) AS r",
            ("rows", rows));

    private async Task OwnerDdlAsync(string sql)
    {
        await using var owner = await OpenAsync(fixture, DbRole.Owner);
        await Command(owner, sql).ExecuteNonQueryAsync();
    }

    /// <summary>Runs one statement as the superuser with the owner's escape hatch (what a rogue DBA would do).</summary>
    private async Task OwnerExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(fixture);
        await using var tx = await connection.BeginTransactionAsync();
        await new NpgsqlCommand("SET LOCAL agepar.audit_maintenance = 'on'", connection, tx).ExecuteNonQueryAsync();
        await using var command = Command(connection, sql, parameters);
        command.Transaction = tx;
        Assert.True(await command.ExecuteNonQueryAsync() > 0, sql);
        await tx.CommitAsync();
    }

    private static async Task<JsonElement> VerifyAsync(ApiSession session, string query = "")
    {
        using var response = await session.Client.PostAsync("/api/admin/audits/verify" + query, null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
        return await JsonAsync(response);
    }

    private static async Task AssertIntactAsync(ApiSession session)
    {
        var result = await VerifyAsync(session);
        Assert.True(result.GetProperty("intact").GetBoolean(), result.ToString());
        Assert.Empty(result.GetProperty("breaks").EnumerateArray());
    }

    private static List<(long? Id, DateTimeOffset? OccurredAt, string Reason)> Breaks(JsonElement result) =>
        [.. result.GetProperty("breaks").EnumerateArray().Select(b => (
            b.GetProperty("id").ValueKind == JsonValueKind.Null ? (long?)null : b.GetProperty("id").GetInt64(),
            b.GetProperty("occurredAt").ValueKind == JsonValueKind.Null ? (DateTimeOffset?)null : b.GetProperty("occurredAt").GetDateTimeOffset(),
            b.GetProperty("reason").GetString()!))];

    private async Task<JsonElement> HealthAsync()
    {
        using var client = fixture.CreateBffClient();
        using var response = await client.GetAsync("/api/health");
        return await JsonAsync(response);
    }

    /// <summary>Scrapes /metrics until the pattern shows (the exporter may serve a cached scrape for a moment); bounded.</summary>
    private async Task ScrapeUntilAsync(string pattern)
    {
        using var client = fixture.CreateBffClient();
        using var cts = new CancellationTokenSource(AgeparAppFixture.StepTimeout);
        var text = "";
        while (!cts.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", fixture.PrometheusToken) } };
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            if (System.Text.RegularExpressions.Regex.IsMatch(text, pattern))
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Matches(pattern, text);
    }
}
