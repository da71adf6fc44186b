using System.Globalization;

namespace Agepar.Bench;

/// <summary>Command line: <c>--url http://localhost:5080 --email … --password … [--new-password …] [--count 50] [--burst 50] [--kind form2json]</c>.</summary>
internal sealed record BenchOptions(Uri Url, string Email, string Password, string? NewPassword, int Count, int Burst, string Kind)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        string Get(string name, string? fallback = null) =>
            values.TryGetValue(name, out var v) ? v
            : Environment.GetEnvironmentVariable("BENCH_" + name.Replace('-', '_').ToUpperInvariant()) ?? fallback
            ?? throw new ArgumentException($"--{name} is required (or BENCH_{name.Replace('-', '_').ToUpperInvariant()}).");

        return new BenchOptions(
            new Uri(Get("url", "http://localhost:5080")),
            Get("email"),
            Get("password"),
            values.TryGetValue("new-password", out var newPassword) ? newPassword : Environment.GetEnvironmentVariable("BENCH_NEW_PASSWORD"),
            int.Parse(Get("count", "50"), CultureInfo.InvariantCulture),
            int.Parse(Get("burst", "50"), CultureInfo.InvariantCulture),
            Get("kind", "form2json"));
    }
}
