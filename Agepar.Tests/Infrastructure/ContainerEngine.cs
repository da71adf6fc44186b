using System.Diagnostics;

namespace Agepar.Tests.Infrastructure;

/// <summary>The container engine eng/ensure-engine.sh settled on (AGEPAR_ENGINE), for clean-up the AppHost does not do.</summary>
public static class ContainerEngine
{
    public static string Name => Environment.GetEnvironmentVariable("AGEPAR_ENGINE") is { Length: > 0 } engine ? engine : "docker";

    /// <summary>One engine command on a container of the test app (<c>pause</c>, <c>unpause</c>, …); a failure fails the test.</summary>
    public static async Task RunAsync(params string[] args)
    {
        var result = await ProcessRunner.RunAsync(Name, args, Path.GetTempPath(), _ => { });
        Assert.True(result.ExitCode == 0, result.Output);
    }

    /// <summary>Best effort: a leftover test volume is harmless, only untidy.</summary>
    public static async Task RemoveVolumeAsync(string volume)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Name, ["volume", "rm", "-f", volume])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is not null)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await process.WaitForExitAsync(cts.Token);
            }
        }
        catch (Exception)
        {
            // Engine gone or slow: nothing more to do in a test run's teardown.
        }
    }
}
