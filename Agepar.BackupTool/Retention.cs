using System.Globalization;
using System.Text.RegularExpressions;

namespace Agepar.BackupTool;

/// <summary>
/// Which backups the retention deletes: those whose time (in the name, <c>agepar-YYYYMMDDTHHMMSSZ.…</c>, the same
/// stamp as on the volume) is older than the retention, except the newest backup, which always stays — a job that has
/// been failing for weeks must not leave the container empty. Names without a stamp are never touched.
/// </summary>
public static partial class Retention
{
    public static DateTimeOffset? BackupTime(string name)
    {
        var match = Stamp().Match(name);
        return match.Success && DateTimeOffset.TryParseExact(match.Groups[1].Value, "yyyyMMdd'T'HHmmss'Z'",
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
    }

    public static IReadOnlyList<string> Expired(IEnumerable<string> names, DateTimeOffset now, int days)
    {
        var dated = names.Select(n => (Name: n, Time: BackupTime(n))).Where(b => b.Time is not null).ToList();
        if (dated.Count == 0)
        {
            return [];
        }

        var newest = dated.MaxBy(b => b.Time)!.Name;
        var cutoff = now.AddDays(-days);
        return [.. dated.Where(b => b.Time < cutoff && b.Name != newest).Select(b => b.Name).Order(StringComparer.Ordinal)];
    }

    public static int ParseDays(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days >= 1
            ? days
            : throw new ArgumentException($"the retention must be a whole number of days >= 1; got '{value}'");

    [GeneratedRegex(@"^agepar-(\d{8}T\d{6}Z)\.")]
    private static partial Regex Stamp();
}
