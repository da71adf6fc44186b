using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Agepar.Tests.Telemetry;

/// <summary>
/// The services' metric streams keep <c>Telemetry:MetricCardinalityLimit</c> series each (their points are preallocated
/// per stream, so the SDK's 2,000 cost 26 MB of the BFF's heap); past it the measurements are summed into the overflow
/// series, and the request-duration histogram keeps the SDK's own limit.
/// </summary>
public sealed class MetricCardinalityTests
{
    private const int Attributes = 12;

    [Fact]
    public void Past_the_limit_measurements_go_to_the_overflow_series_and_the_total_stays_right()
    {
        var points = Export(limit: "4");

        var counter = points["agepar.test.cardinality"];
        Assert.InRange(counter.Count, 2, 4 + 1); // at most the limit, plus the overflow series
        Assert.Contains(counter, p => p.Tags.TryGetValue("otel.metric.overflow", out var v) && Equals(v, true));
        Assert.Equal(Attributes, counter.Sum(p => p.Sum));

        var requests = points["http.server.request.duration"];
        Assert.Equal(Attributes, requests.Count);
        Assert.DoesNotContain(requests, p => p.Tags.ContainsKey("otel.metric.overflow"));
    }

    [Fact]
    public void Under_the_default_limit_every_series_is_kept()
    {
        var points = Export(limit: null);

        Assert.Equal(Attributes, points["agepar.test.cardinality"].Count);
        Assert.DoesNotContain(points["agepar.test.cardinality"], p => p.Tags.ContainsKey("otel.metric.overflow"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("10001")]
    [InlineData("2147483647")]
    [InlineData("muitas")]
    public void A_limit_outside_1_to_10000_or_not_a_number_refuses_to_start(string limit)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration[Extensions.MetricCardinalityLimitKey] = limit;

        var error = Assert.Throws<InvalidOperationException>(() => builder.ConfigureOpenTelemetry());
        Assert.Contains(Extensions.MetricCardinalityLimitKey, error.Message);
    }

    private sealed record Point(Dictionary<string, object?> Tags, double Sum);

    private static Dictionary<string, List<Point>> Export(string? limit)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (limit is not null)
        {
            builder.Configuration[Extensions.MetricCardinalityLimitKey] = limit;
        }

        builder.ConfigureOpenTelemetry();
        var exporter = new CollectingExporter();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddReader(new BaseExportingMetricReader(exporter)));
        using var host = builder.Build();
        var provider = host.Services.GetRequiredService<MeterProvider>();

        using var meter = new Meter(Extensions.TelemetrySourceNames[0]);
        var counter = meter.CreateCounter<long>("agepar.test.cardinality");
        var requests = meter.CreateHistogram<double>("http.server.request.duration", "s");
        for (var i = 0; i < Attributes; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("route", $"/r{i}"));
            requests.Record(0.01, new KeyValuePair<string, object?>("http.route", $"/r{i}"));
        }

        Assert.True(provider.ForceFlush());
        return exporter.Points;
    }

    private sealed class CollectingExporter : BaseExporter<Metric>
    {
        public Dictionary<string, List<Point>> Points { get; } = [];

        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                var points = new List<Point>();
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var tags = new Dictionary<string, object?>();
                    foreach (var tag in point.Tags)
                    {
                        tags[tag.Key] = tag.Value;
                    }

                    var sum = metric.MetricType switch
                    {
                        MetricType.Histogram => point.GetHistogramCount(),
                        MetricType.LongSum => point.GetSumLong(),
                        _ => 0, // the runtime's own instruments, not looked at
                    };
                    points.Add(new Point(tags, sum));
                }

                Points[metric.Name] = points;
            }

            return ExportResult.Success;
        }
    }
}
