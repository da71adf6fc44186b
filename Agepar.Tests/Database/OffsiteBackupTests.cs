using System.Text.Json;
using System.Text.RegularExpressions;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Database;

/// <summary>
/// Off-site backups: after its restore check, each backup is encrypted with gpg (AES-256) and uploaded to the run's
/// Azurite (<c>azurite</c>, the <c>backup-storage</c> connection string) by agepar-blob, which reads it back. The blob
/// has the hash the job reported, is unreadable without the key, restores with the documented DBA commands and passes
/// <c>agepar-backup restore-check</c>; retention applies to the container; a storage that cannot be reached fails
/// the run loudly and the outcome Prometheus sees says so.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class OffsiteBackupTests(AgeparAppFixture fixture)
{
    private const string Skipped =
        "off-site backups are off: eng/ensure-images.sh builds the backup and Azurite images on Debian as root with npm (Backup__Image); run the tests through eng/test.sh there.";

    [Fact]
    public async Task A_backup_lands_in_the_container_with_its_hash_and_cannot_be_read_without_the_key()
    {
        Assert.True(fixture.BackupStorageEnabled, Skipped);
        var container = await fixture.ContainerIdAsync("backup");

        var (exitCode, output) = await BackupAsync(container, "now");

        Assert.True(exitCode == 0, output);
        var uploaded = Uploaded().Matches(output).Last();
        var blob = uploaded.Groups["blob"].Value;
        var sha256 = uploaded.Groups["sha"].Value;
        Assert.Contains(blob, (await BackupAsync(container, "list")).Output, StringComparison.Ordinal);

        // The raw blob, as anyone with access to the storage account gets it.
        var raw = await ShAsync(container, $"""
            cd /tmp && rm -rf offsite-test && mkdir offsite-test && cd offsite-test &&
            /opt/agepar/backup-tool/agepar-blob download {blob} raw >/dev/null && sha256sum raw | cut -c1-64 &&
            gpg --list-packets raw 2>&1 | grep -m1 'symkey enc packet' ;
            head -c 5 raw | od -An -c ;
            echo "dump text: $(grep -c -a -e PGDMP -e audit_seals -e '@agepar.test' raw)" ;
            pg_restore -l raw >/dev/null 2>&1; echo "pg_restore=$?"
            """);
        var lines = raw.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(sha256, lines[0]);                                        // what was uploaded is what is stored
        Assert.Contains("cipher 9", raw.Output, StringComparison.Ordinal);      // OpenPGP symmetric, AES-256
        Assert.DoesNotContain("P   G   D   M   P", raw.Output, StringComparison.Ordinal);
        Assert.Contains("dump text: 0", raw.Output, StringComparison.Ordinal); // no dump header, table name or e-mail
        Assert.Contains("pg_restore=1", raw.Output, StringComparison.Ordinal);

        var wrongKey = await ShAsync(container, """
            cd /tmp/offsite-test && export GNUPGHOME=$(mktemp -d) && printf wrong-key >wrong.key &&
            gpg --batch --pinentry-mode loopback --passphrase-file wrong.key -d raw >/dev/null
            """);
        Assert.NotEqual(0, wrongKey.ExitCode);
        Assert.Contains("decryption failed", wrongKey.Output, StringComparison.Ordinal);

        // The README's DBA procedure: decrypt with the key, unpack, check the sha256, and the dump holds the data.
        var dump = blob[..^".tar.gpg".Length];
        var withKey = await ShAsync(container, $"""
            cd /tmp/offsite-test && export GNUPGHOME=$(mktemp -d) && printenv BACKUP_ENCRYPTION_KEY >backup.key &&
            gpg --batch --pinentry-mode loopback --passphrase-file backup.key -d raw | tar -x &&
            sha256sum -c {dump}.sha256 && pg_restore -f - {dump} | grep -c 'CREATE TABLE public.audit_seals'
            """);
        await ShAsync(container, "rm -rf /tmp/offsite-test");
        Assert.True(withKey.ExitCode == 0, withKey.Output);
        Assert.Contains($"{dump}: OK", withKey.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_deletes_old_blobs_from_the_container_and_keeps_the_newest()
    {
        Assert.True(fixture.BackupStorageEnabled, Skipped);
        var container = await fixture.ContainerIdAsync("backup");
        const string old = "agepar-20190101T000000Z.dump.tar.gpg";
        var planted = await ShAsync(container, $"head -c 1024 /dev/urandom >/tmp/{old} && /opt/agepar/backup-tool/agepar-blob upload /tmp/{old} {old}; rm -f /tmp/{old}");
        Assert.True(planted.ExitCode == 0, planted.Output);
        Assert.Contains(old, (await BackupAsync(container, "list")).Output, StringComparison.Ordinal);

        var (exitCode, output) = await BackupAsync(container, "now");
        var listing = (await BackupAsync(container, "list")).Output;

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain(old, listing, StringComparison.Ordinal);  // deleted by this run (or the daemon's, if it ran first)
        Assert.Contains(Uploaded().Matches(output).Last().Groups["blob"].Value, listing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restore_check_from_the_container_passes_and_fails_with_a_wrong_key()
    {
        Assert.True(fixture.BackupStorageEnabled, Skipped);
        var container = await fixture.ContainerIdAsync("backup");
        var backup = await BackupAsync(container, "now");
        Assert.True(backup.ExitCode == 0, backup.Output);
        var blob = Uploaded().Matches(backup.Output).Last().Groups["blob"].Value;

        var (exitCode, output) = await BackupAsync(container, $"restore-check {blob}");
        var wrongKey = await ExecAsync(container, "env", "BACKUP_ENCRYPTION_KEY=not-the-key",
            "bash", "-c", $"bash -c \"$AGEPAR_BACKUP_SCRIPT\" agepar-backup restore-check {blob}");

        Assert.True(exitCode == 0, output);
        Assert.Contains($"downloaded {blob}", output, StringComparison.Ordinal);
        Assert.Contains("sha256 of", output, StringComparison.Ordinal);
        Assert.Contains("restore check passed", output, StringComparison.Ordinal);
        Assert.Contains("counts match", output, StringComparison.Ordinal);
        Assert.Equal(1, wrongKey.ExitCode);
        Assert.Contains($"FAILED: decrypting {blob} failed", wrongKey.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("restore check passed", wrongKey.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_storage_fails_the_run_loudly_and_the_outcome_says_so()
    {
        Assert.True(fixture.BackupStorageEnabled, Skipped);
        var container = await fixture.ContainerIdAsync("backup");
        const string unreachable =
            "BACKUP_STORAGE=DefaultEndpointsProtocol=http;AccountName=agepar;AccountKey=YWdlcGFy;BlobEndpoint=http://127.0.0.1:1/agepar;";

        var (exitCode, output) = await ExecAsync(container, "env", unreachable,
            "bash", "-c", "bash -c \"$AGEPAR_BACKUP_SCRIPT\" agepar-backup now");

        Assert.Equal(1, exitCode);
        Assert.Contains("FAILED: upload of", output, StringComparison.Ordinal);
        Assert.Contains("storage unreachable", output, StringComparison.Ordinal);
        Assert.Contains("outcome: FAILED", output, StringComparison.Ordinal);
        Assert.DoesNotContain("backup done", output, StringComparison.Ordinal);
        using var metrics = fixture.App.CreateHttpClient("backup", "metrics");
        Assert.Contains("agepar_backup_last_run_success 0", await metrics.GetStringAsync("/metrics"), StringComparison.Ordinal);

        // Prometheus scrapes the outcome and the "last backup failed" rule fires.
        using var prometheus = fixture.App.CreateHttpClient("prometheus", "http");
        var firing = await PrometheusApi.PollAsync(prometheus, "/api/v1/alerts", json => json.GetProperty("data").GetProperty("alerts").EnumerateArray()
            .Any(a => a.GetProperty("labels").GetProperty("alertname").GetString() == "AgeparBackupFailed"
                      && a.GetProperty("state").GetString() == "firing"));
        Assert.True(firing.Ok, firing.Last);

        // The next good run clears it.
        var again = await BackupAsync(container, "now");
        Assert.True(again.ExitCode == 0, again.Output);
        var after = await metrics.GetStringAsync("/metrics");
        Assert.Contains("agepar_backup_last_run_success 1", after, StringComparison.Ordinal);
        Assert.Contains("agepar_backup_last_upload_seconds", after, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output)> BackupAsync(string container, string command) =>
        ExecAsync(container, "bash", "-c", $"bash -c \"$AGEPAR_BACKUP_SCRIPT\" agepar-backup {command}");

    private static Task<(int ExitCode, string Output)> ShAsync(string container, string script) =>
        ExecAsync(container, "bash", "-c", script.ReplaceLineEndings("\n"));

    private static Task<(int ExitCode, string Output)> ExecAsync(string container, params string[] command) =>
        ProcessRunner.RunAsync(ContainerEngine.Name, ["exec", container, .. command], Path.GetTempPath(), _ => { });

    [GeneratedRegex(@"uploaded (?<blob>agepar-\d{8}T\d{6}Z\.dump\.tar\.gpg) to \S+ \(\d+ bytes, sha256 (?<sha>[0-9a-f]{64})\), read back and verified")]
    private static partial Regex Uploaded();
}
