using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Agepar.BackupTool;

/// <summary>The container commands of agepar-blob (see Program.cs), on the Azure SDK's blob client.</summary>
internal static class BlobCommands
{
    /// <summary>Blob metadata key holding the SHA-256 (hex) of the uploaded bytes, checked by every download.</summary>
    public const string Sha256Metadata = "sha256";

    /// <summary>The container named by BACKUP_CONTAINER in the account of BACKUP_STORAGE.</summary>
    public static BlobContainerClient Container()
    {
        var connection = Environment.GetEnvironmentVariable("BACKUP_STORAGE");
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new InvalidOperationException("BACKUP_STORAGE (the blob storage connection string) is not set");
        }

        var name = Environment.GetEnvironmentVariable("BACKUP_CONTAINER") is { Length: > 0 } configured ? configured : "agepar-backups";
        // Few, short retries: a storage account that does not answer must fail the run within a minute, not an hour;
        // the daemon retries the whole backup 15 minutes later.
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromSeconds(1);
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.NetworkTimeout = TimeSpan.FromMinutes(5);
        try
        {
            return new BlobContainerClient(connection, name, options);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // Never echo the connection string: it holds the account key.
            throw new InvalidOperationException($"BACKUP_STORAGE is not a valid storage connection string ({e.GetType().Name})");
        }
    }

    public static async Task<int> UploadAsync(BlobContainerClient container, string file, string blobName)
    {
        var sha256 = await Sha256Async(file);
        var size = new FileInfo(file).Length;
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient(blobName);
        await using (var source = File.OpenRead(file))
        {
            await blob.UploadAsync(source, new BlobUploadOptions
            {
                // A backup is immutable: an upload never replaces an existing blob of the same name.
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                Metadata = new Dictionary<string, string> { [Sha256Metadata] = sha256 },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/pgp-encrypted" },
            });
        }

        // Read back: the stored bytes must hash to what was sent, and the recorded hash must be ours.
        var stored = await ReadBackSha256Async(blob);
        if (stored.Sha256 != sha256 || stored.Size != size || stored.Recorded != sha256)
        {
            throw new InvalidOperationException(
                $"read-back of {blobName} does not match: sent {size} bytes sha256 {sha256}, stored {stored.Size} bytes sha256 {stored.Sha256} (recorded {stored.Recorded})");
        }

        Console.WriteLine($"uploaded {blobName} to {container.Name} ({size} bytes, sha256 {sha256}), read back and verified");
        return 0;
    }

    public static async Task<int> DownloadAsync(BlobContainerClient container, string blobName, string file)
    {
        var blob = container.GetBlobClient(blobName);
        var properties = (await blob.GetPropertiesAsync()).Value;
        await blob.DownloadToAsync(file);
        var sha256 = await Sha256Async(file);
        if (!properties.Metadata.TryGetValue(Sha256Metadata, out var recorded) || recorded != sha256)
        {
            File.Delete(file);
            throw new InvalidOperationException($"{blobName}: downloaded sha256 {sha256} differs from the one recorded at upload ({recorded ?? "none"})");
        }

        Console.WriteLine($"downloaded {blobName} ({new FileInfo(file).Length} bytes, sha256 {sha256} as recorded at upload)");
        return 0;
    }

    public static async Task<int> ListAsync(BlobContainerClient container)
    {
        if (!await container.ExistsAsync())
        {
            return 0;
        }

        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = "agepar-" }))
        {
            var time = blob.Properties.LastModified?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "-";
            Console.WriteLine($"{blob.Name}\t{blob.Properties.ContentLength}\t{time}");
        }

        return 0;
    }

    public static async Task<int> PruneAsync(BlobContainerClient container, int days, DateTimeOffset now)
    {
        if (!await container.ExistsAsync())
        {
            return 0;
        }

        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = "agepar-" }))
        {
            names.Add(blob.Name);
        }

        foreach (var name in Retention.Expired(names, now, days))
        {
            await container.DeleteBlobIfExistsAsync(name, DeleteSnapshotsOption.IncludeSnapshots);
            Console.WriteLine($"retention: deleted blob {name} (older than {days} days)");
        }

        return 0;
    }

    /// <summary>A short reason for the log: the storage error code rather than a multi-line SDK dump.</summary>
    public static string Describe(Exception e) => e switch
    {
        RequestFailedException { ErrorCode: { Length: > 0 } code } r => $"storage refused: {code} (HTTP {r.Status})",
        RequestFailedException { Status: 0 } r => $"storage unreachable: {r.InnerException?.Message ?? r.Message}",
        RequestFailedException r => $"storage error: HTTP {r.Status}",
        AggregateException a => "storage unreachable: " + string.Join("; ", a.InnerExceptions.Select(i => i.Message).Distinct()),
        _ => e.Message,
    };

    private static async Task<(string Sha256, long Size, string? Recorded)> ReadBackSha256Async(BlobClient blob)
    {
        var download = (await blob.DownloadStreamingAsync()).Value;
        await using var content = download.Content;
        var hash = await SHA256.HashDataAsync(content);
        download.Details.Metadata.TryGetValue(Sha256Metadata, out var recorded);
        return (Convert.ToHexStringLower(hash), download.Details.ContentLength, recorded);
    }

    private static async Task<string> Sha256Async(string file)
    {
        await using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
    }
}
