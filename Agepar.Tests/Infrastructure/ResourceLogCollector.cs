using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace Agepar.Tests.Infrastructure;

/// <summary>Keeps the last lines of every resource's console log, to explain a failed or timed-out wait.</summary>
public sealed class ResourceLogCollector
{
    private const int LinesPerResource = 80;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _lines = new();
    private readonly ConcurrentDictionary<LogTap, string> _taps = new();

    /// <summary>
    /// Follows the console log of every resource instance as it appears. Console lines are kept under the DCP instance
    /// name (<c>bff-x7k2…</c>), which exists only once the app starts, so the instances are taken from the resource
    /// notifications rather than from the model; lines are filed under the resource's model name (<c>bff</c>).
    /// </summary>
    public void Attach(DistributedApplication app)
    {
        var loggers = app.Services.GetRequiredService<ResourceLoggerService>();
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        var followed = new ConcurrentDictionary<string, bool>();
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in notifications.WatchAsync())
                {
                    if (followed.TryAdd(change.ResourceId, true))
                    {
                        Follow(loggers, change.ResourceId, change.Resource.Name);
                    }
                }
            }
            catch (Exception)
            {
                // The notification stream ends when the app is disposed; nothing to report.
            }
        });
    }

    private void Follow(ResourceLoggerService loggers, string instance, string resource) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in loggers.WatchAsync(instance))
                {
                    var queue = _lines.GetOrAdd(resource, _ => new ConcurrentQueue<string>());
                    foreach (var line in batch)
                    {
                        queue.Enqueue(line.Content);
                        foreach (var (tap, tapped) in _taps)
                        {
                            if (tapped == resource)
                            {
                                tap.Add(line.Content);
                            }
                        }

                        while (queue.Count > LinesPerResource && queue.TryDequeue(out _))
                        {
                        }
                    }
                }
            }
            catch (Exception)
            {
                // The log stream ends when the app is disposed; nothing to report.
            }
        });

    /// <summary>The collected tail of each resource's log.</summary>
    public string Dump(params string[] resources)
    {
        var text = new StringBuilder();
        foreach (var (name, lines) in _lines.OrderBy(l => l.Key))
        {
            if (resources.Length > 0 && !resources.Contains(name))
            {
                continue;
            }

            text.AppendLine($"----- {name} (last {lines.Count} lines) -----");
            foreach (var line in lines)
            {
                text.AppendLine(line);
            }
        }

        return text.ToString();
    }

    /// <summary>Every line <paramref name="resource"/> logs from now until the tap is disposed.</summary>
    public LogTap Tap(string resource)
    {
        var tap = new LogTap(t => _taps.TryRemove(t, out _));
        _taps[tap] = resource;
        return tap;
    }
}

/// <summary>The lines one resource logged while the tap was open (<see cref="ResourceLogCollector.Tap"/>).</summary>
public sealed class LogTap(Action<LogTap> close) : IDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    internal void Add(string line) => _lines.Enqueue(line);

    /// <summary>Waits (bounded) until a line matching <paramref name="pattern"/> arrives; the logs flow asynchronously.</summary>
    public async Task<string> WaitForAsync(string pattern, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!cts.IsCancellationRequested)
        {
            if (_lines.FirstOrDefault(l => System.Text.RegularExpressions.Regex.IsMatch(l, pattern)) is { } line)
            {
                return line;
            }

            await Task.Delay(200, CancellationToken.None);
        }

        throw new TimeoutException($"no log line matched '{pattern}' within {timeout}; {_lines.Count} lines seen");
    }

    public void Dispose() => close(this);
}
