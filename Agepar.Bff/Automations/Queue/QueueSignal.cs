using System.Threading.Channels;

namespace Agepar.Bff.Automations.Queue;

/// <summary>
/// Wakes the local worker as soon as something is submitted (or a slot frees up), so a submit on this replica does
/// not wait for the next poll. Other replicas find the work by polling. Many notifications collapse into one.
/// </summary>
internal sealed class QueueSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for a notification or <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _channel.Reader.WaitToReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Poll interval elapsed.
        }

        _channel.Reader.TryRead(out _);
    }
}
