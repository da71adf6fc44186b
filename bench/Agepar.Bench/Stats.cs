using System.Globalization;

namespace Agepar.Bench;

/// <summary>Percentiles of a series of durations, as one table row.</summary>
internal static class Stats
{
    public static string Header() =>
        $"| {"measure",-46} | {"n",5} | {"mean",9} | {"p50",9} | {"p90",9} | {"p99",9} | {"max",9} |\n|{new string('-', 48)}|{new string('-', 7)}|{new string('-', 11)}|{new string('-', 11)}|{new string('-', 11)}|{new string('-', 11)}|{new string('-', 11)}|";

    public static string Row(string name, IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return $"| {name,-46} | {0,5} | {"-",9} | {"-",9} | {"-",9} | {"-",9} | {"-",9} |";
        }

        var sorted = milliseconds.Order().ToArray();
        return $"| {name,-46} | {sorted.Length,5} | {Ms(sorted.Average()),9} | {Ms(Percentile(sorted, 0.50)),9} | {Ms(Percentile(sorted, 0.90)),9} | {Ms(Percentile(sorted, 0.99)),9} | {Ms(sorted[^1]),9} |";
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
