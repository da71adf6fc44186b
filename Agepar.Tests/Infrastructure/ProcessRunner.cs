using System.Diagnostics;
using System.Reflection;

namespace Agepar.Tests.Infrastructure;

/// <summary>Runs a program to completion (bounded) and returns its exit code with stdout and stderr.</summary>
public static class ProcessRunner
{
    /// <summary>The build configuration of the test assembly (Debug/Release): the sibling projects were built the same way.</summary>
    public static string BuildConfiguration { get; } =
        typeof(ProcessRunner).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static async Task<(int ExitCode, string Output)> RunAsync(
        string file, IEnumerable<string> args, string workingDirectory, Action<IDictionary<string, string?>> environment)
    {
        var info = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        environment(info.Environment);

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within 3 minutes");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
