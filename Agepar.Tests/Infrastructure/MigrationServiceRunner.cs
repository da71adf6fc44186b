using System.Diagnostics;
using System.Reflection;

namespace Agepar.Tests.Infrastructure;

/// <summary>Runs the built migration service as its own process, as a deployment pipeline would, and returns its exit code and output.</summary>
public static class MigrationServiceRunner
{
    public static async Task<(int ExitCode, string Output)> RunAsync(IDictionary<string, string> environment)
    {
        var configuration = typeof(MigrationServiceRunner).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(RepoPaths.Root, "Agepar.MigrationService", "bin", configuration, "net10.0", "Agepar.MigrationService.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");

        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
