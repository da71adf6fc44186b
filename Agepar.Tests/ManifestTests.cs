using System.Diagnostics;
using System.Reflection;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests;

/// <summary>The committed aspire-manifest.json is exactly what the AppHost generates today.</summary>
public sealed class ManifestTests
{
    [Fact]
    public async Task Committed_manifest_matches_the_AppHost()
    {
        var committed = Path.Combine(RepoPaths.Root, "aspire-manifest.json");
        // Generated beside the committed one, so the relative project paths inside are identical.
        var generated = Path.Combine(RepoPaths.Root, $"aspire-manifest.check-{Guid.NewGuid():N}.json");
        try
        {
            var configuration = typeof(ManifestTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var (exitCode, output) = await RunAsync(
                "dotnet",
                ["run", "--project", Path.Combine(RepoPaths.Root, "Agepar.AppHost"), "--no-build", "-c", configuration,
                 "--no-launch-profile", "--", "--publisher", "manifest", "--output-path", generated]);
            Assert.True(exitCode == 0, $"manifest generation failed ({exitCode}):\n{output}");

            var expected = Normalize(await File.ReadAllTextAsync(committed));
            var actual = Normalize(await File.ReadAllTextAsync(generated));
            Assert.True(expected == actual,
                "aspire-manifest.json has drifted from the AppHost. Regenerate it (README, 'Deployment manifest'):\n" +
                "dotnet run --project Agepar.AppHost -- --publisher manifest --output-path ../aspire-manifest.json");
        }
        finally
        {
            File.Delete(generated);
        }
    }

    private static string Normalize(string json) => json.Replace("\r\n", "\n").Trim();

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The manifest must not depend on the developer's machine-local settings.
        info.Environment.Remove("Containers__Registry");
        info.Environment.Remove("PgAdmin__Enabled");
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
