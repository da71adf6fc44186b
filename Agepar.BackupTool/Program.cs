using Agepar.BackupTool;

// agepar-blob: the backup job's client for its off-site blob container. Every command prints what it did on stdout,
// and "agepar-blob: FAILED: …" on stderr with exit code 1 when anything goes wrong (the job then fails loudly).
//
//   agepar-blob upload FILE BLOB     upload FILE as BLOB (never over an existing blob), then read it back and compare
//                                    its SHA-256 with FILE's: a mismatch or any error fails the upload
//   agepar-blob download BLOB FILE   download BLOB to FILE and check it against the SHA-256 recorded at upload
//   agepar-blob list                 the backups in the container, oldest first: name, size in bytes, time (UTC)
//   agepar-blob prune DAYS           delete backups older than DAYS (by the time in their name); the newest always stays
//   agepar-blob serve-metrics PORT FILE   serve FILE (Prometheus text the job writes) at http://*:PORT/metrics
//
// Environment: BACKUP_STORAGE (an Azure Storage connection string; Azurite's in run mode), BACKUP_CONTAINER (default
// agepar-backups).
try
{
    return args switch
    {
        ["upload", var file, var blob] => await BlobCommands.UploadAsync(BlobCommands.Container(), file, blob),
        ["download", var blob, var file] => await BlobCommands.DownloadAsync(BlobCommands.Container(), blob, file),
        ["list"] => await BlobCommands.ListAsync(BlobCommands.Container()),
        ["prune", var days] => await BlobCommands.PruneAsync(BlobCommands.Container(), Retention.ParseDays(days), DateTimeOffset.UtcNow),
        ["serve-metrics", var port, var file] => await MetricsServer.ServeAsync(port, file),
        _ => Usage(),
    };
}
catch (Exception e) when (e is Azure.RequestFailedException or InvalidOperationException or FormatException or ArgumentException
                              or IOException or UnauthorizedAccessException or AggregateException or System.Net.Http.HttpRequestException)
{
    await Console.Error.WriteLineAsync($"agepar-blob: FAILED: {BlobCommands.Describe(e)}");
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: agepar-blob upload FILE BLOB | download BLOB FILE | list | prune DAYS | serve-metrics PORT FILE");
    return 2;
}
