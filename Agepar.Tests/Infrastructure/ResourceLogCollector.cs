using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace Agepar.Tests.Infrastructure;

/// <summary>Keeps the last lines of every resource's console log, to explain a failed or timed-out wait.</summary>
public sealed class ResourceLogCollector
{
    private const int LinesPerResource = 80;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _lines = new();

    public void Attach(DistributedApplication app)
    {
        var loggers = app.Services.GetRequiredService<ResourceLoggerService>();
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var resource in model.Resources)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in loggers.WatchAsync(resource))
                    {
                        var queue = _lines.GetOrAdd(resource.Name, _ => new ConcurrentQueue<string>());
                        foreach (var line in batch)
                        {
                            queue.Enqueue(line.Content);
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
        }
    }

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
}
