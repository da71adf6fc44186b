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
            var (exitCode, output) = await ProcessRunner.RunAsync(
                "dotnet",
                ["run", "--project", Path.Combine(RepoPaths.Root, "Agepar.AppHost"), "--no-build", "-c", ProcessRunner.BuildConfiguration,
                 "--no-launch-profile", "--", "--publisher", "manifest", "--output-path", generated],
                RepoPaths.Root,
                environment =>
                {
                    // The manifest must not depend on the developer's machine-local settings.
                    environment.Remove("Containers__Registry");
                    environment.Remove("PgAdmin__Enabled");
                    environment["DOTNET_ENVIRONMENT"] = "Production";
                });
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
}
