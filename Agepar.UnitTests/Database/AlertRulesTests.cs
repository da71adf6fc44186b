using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Database;

/// <summary>
/// The Prometheus alerting rules (ops/prometheus/alerts.yml) are valid and each one fires — and stays quiet — as its
/// unit test in alerts.test.yml says, checked with promtool (installed by eng/ensure-tools.sh).
/// </summary>
public sealed class AlertRulesTests
{
    private static readonly string Directory = Path.Combine(RepoPaths.Root, "ops", "prometheus");

    [Fact]
    public async Task The_rules_file_is_valid()
    {
        var (exitCode, output) = await ProcessRunner.RunAsync("promtool", ["check", "rules", "alerts.yml"], Directory, _ => { });

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_rule_passes_its_promtool_unit_test_and_every_rule_has_one()
    {
        var (exitCode, output) = await ProcessRunner.RunAsync("promtool", ["test", "rules", "alerts.test.yml"], Directory, _ => { });
        Assert.True(exitCode == 0, output);

        var rules = (await File.ReadAllLinesAsync(Path.Combine(Directory, "alerts.yml")))
            .Select(l => l.Trim()).Where(l => l.StartsWith("- alert: ", StringComparison.Ordinal)).Select(l => l["- alert: ".Length..]).ToHashSet();
        var tested = (await File.ReadAllLinesAsync(Path.Combine(Directory, "alerts.test.yml")))
            .Select(l => l.Trim()).Where(l => l.StartsWith("alertname: ", StringComparison.Ordinal)).Select(l => l["alertname: ".Length..]).ToHashSet();
        Assert.NotEmpty(rules);
        Assert.All(rules, rule => Assert.True(tested.Contains(rule), $"{rule} has no case in alerts.test.yml"));
    }
}
