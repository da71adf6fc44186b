using System.Globalization;
using System.Net;
using System.Text;

namespace Agepar.BackupTool;

/// <summary>
/// Serves the job's outcome to Prometheus: the file agepar-backup.sh rewrites after every run (Prometheus text format,
/// agepar_backup_* gauges) at <c>/metrics</c>. The outcome needs no database write: the backup role stays read-only.
/// </summary>
internal static class MetricsServer
{
    public static async Task<int> ServeAsync(string port, string file)
    {
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new ArgumentException($"the metrics port must be 1-65535; got '{port}'");
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://+:{number}/");
        listener.Start();
        Console.WriteLine($"serving {file} at :{number}/metrics");
        while (true)
        {
            var context = await listener.GetContextAsync();
            using var response = context.Response;
            if (context.Request.Url?.AbsolutePath != "/metrics")
            {
                response.StatusCode = 404;
                continue;
            }

            // Before the first run there is no file yet: an empty scrape (the "no backup" alert reads absence).
            var body = File.Exists(file) ? await File.ReadAllBytesAsync(file) : Encoding.UTF8.GetBytes("");
            response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body);
        }
    }
}
