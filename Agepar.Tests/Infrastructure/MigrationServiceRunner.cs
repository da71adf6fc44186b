namespace Agepar.Tests.Infrastructure;

/// <summary>Runs the built migration service as its own process, as a deployment pipeline would.</summary>
public static class MigrationServiceRunner
{
    public static async Task<(int ExitCode, string Output)> RunAsync(IDictionary<string, string> settings, params string[] args)
    {
        var dll = Path.Combine(RepoPaths.Root, "Agepar.MigrationService", "bin", ProcessRunner.BuildConfiguration, "net10.0", "Agepar.MigrationService.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");

        return await ProcessRunner.RunAsync("dotnet", [dll, .. args], Path.GetTempPath(), environment =>
        {
            environment["DOTNET_ENVIRONMENT"] = "Development";
            environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
            foreach (var (key, value) in settings)
            {
                environment[key] = value;
            }

            TestDataKeys.AddTo(environment);
        });
    }
}
