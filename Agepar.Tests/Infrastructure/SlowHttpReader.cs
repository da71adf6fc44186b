using System.Net.Sockets;
using System.Text;

namespace Agepar.Tests.Infrastructure;

/// <summary>
/// A deliberately slow HTTP/1.1 client on a raw socket with a tiny receive buffer: it reads the status line and headers,
/// then takes <c>bytesPerTick</c> bytes of the body every <c>tick</c> (a few KB/s), like a client on a bad link.
/// The server's writes block as soon as the socket buffers are full. Disposing closes the socket.
/// <code>
/// await using var reader = await SlowHttpReader.GetAsync(baseAddress, "/api/control/audits.csv", headers);
/// Assert.Equal(200, reader.Status);
/// </code>
/// </summary>
public sealed class SlowHttpReader : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private NetworkStream _stream = null!;
    private readonly CancellationTokenSource _stop = new();
    private readonly StringBuilder _bodyStart = new();
    private Task _drain = Task.CompletedTask;
    private long _bytes;

    private SlowHttpReader(TcpClient tcp)
    {
        _tcp = tcp;
    }

    public int Status { get; private set; }

    /// <summary>The response headers as sent (one per line).</summary>
    public string Headers { get; private set; } = "";

    /// <summary>Body bytes received so far (chunk framing included).</summary>
    public long BytesRead => Interlocked.Read(ref _bytes);

    /// <summary>True once the server closed the connection (the response ended or was aborted).</summary>
    public bool Ended { get; private set; }

    /// <summary>The first KB of the body, as text (enough for a ProblemDetails).</summary>
    public string BodyStart
    {
        get
        {
            lock (_bodyStart)
            {
                return _bodyStart.ToString();
            }
        }
    }

    public static async Task<SlowHttpReader> GetAsync(
        Uri baseAddress, string pathAndQuery, IEnumerable<KeyValuePair<string, string>> headers, int bytesPerTick = 2048, TimeSpan? tick = null)
    {
        var tcp = new TcpClient { ReceiveBufferSize = 4096, NoDelay = true };
        var reader = new SlowHttpReader(tcp);
        try
        {
            using var connect = new CancellationTokenSource(AgeparAppFixture.StepTimeout);
            await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, connect.Token);
            reader._stream = tcp.GetStream();
            var request = new StringBuilder($"GET {pathAndQuery} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nConnection: close\r\n");
            foreach (var (name, value) in headers)
            {
                request.Append(name).Append(": ").Append(value).Append("\r\n");
            }

            await reader._stream.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()), connect.Token);
            await reader.ReadHeadAsync(connect.Token);
            reader._drain = reader.DrainAsync(bytesPerTick, tick ?? TimeSpan.FromMilliseconds(500));
            return reader;
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _tcp.Dispose();
        try
        {
            await _drain;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
            // Closed on purpose.
        }

        _stop.Dispose();
    }

    private async Task ReadHeadAsync(CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await _stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException($"the server closed the connection before the headers ended: {Encoding.ASCII.GetString([.. head])}");
            }

            head.Add(one[0]);
        }

        var text = Encoding.ASCII.GetString([.. head]);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Headers = string.Join("\n", lines.Skip(1));
    }

    private async Task DrainAsync(int bytesPerTick, TimeSpan tick)
    {
        var buffer = new byte[bytesPerTick];
        while (!_stop.IsCancellationRequested)
        {
            var read = await _stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                Ended = true;
                return;
            }

            lock (_bodyStart)
            {
                if (_bodyStart.Length < 1024)
                {
                    _bodyStart.Append(Encoding.UTF8.GetString(buffer, 0, read));
                }
            }

            Interlocked.Add(ref _bytes, read);
            await Task.Delay(tick, _stop.Token);
        }
    }
}
