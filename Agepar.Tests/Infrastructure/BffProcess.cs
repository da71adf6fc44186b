using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Agepar.Tests.Infrastructure;

/// <summary>
/// A second BFF replica started from the built <c>Agepar.Bff.dll</c> as its own OS process, against the fixture's
/// postgres (as <c>agepar_user</c>) and redis, so a test can kill it with SIGKILL the way a crashed pod dies.
/// <code>
/// await using var replica = await BffProcess.StartAsync(fixture, new() { ["Automations__Queue__LeaseDuration"] = "00:00:05" });
/// replica.Kill();
/// </code>
/// </summary>
public sealed class BffProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BffProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>What the process printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<BffProcess> StartAsync(AgeparAppFixture fixture, IDictionary<string, string> settings)
    {
        var directory = Path.Combine(RepoPaths.Root, "Agepar.Bff", "bin", ProcessRunner.BuildConfiguration, "net10.0");
        var dll = Path.Combine(directory, "Agepar.Bff.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");

        var database = new Npgsql.NpgsqlConnectionStringBuilder(await fixture.GetConnectionStringAsync(DbRole.App)) { Pooling = true };
        var redis = await fixture.App.GetConnectionStringAsync("redis") ?? throw new InvalidOperationException("redis has no connection string");
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");

        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = baseAddress.ToString();
        info.Environment["ConnectionStrings__agepar"] = database.ConnectionString;
        info.Environment["ConnectionStrings__redis"] = redis;
        info.Environment["Logging__LogLevel__Default"] = "Information";
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        TestDataKeys.AddTo(info.Environment);

        var replica = new BffProcess(Process.Start(info)!, baseAddress);
        try
        {
            await replica.WaitUntilAliveAsync();
            return replica;
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A client whose connections come from <paramref name="source"/>, any address of 127.0.0.0/8: the replica is
    /// reached directly (no proxy in between), so it sees a distinct client IP per test.
    /// </summary>
    public HttpClient CreateClient(IPAddress source, CookieContainer? cookies = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = cookies is not null,
            CookieContainer = cookies ?? new CookieContainer(),
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = AgeparAppFixture.StepTimeout };
    }

    /// <summary>A client for this replica signed in as <paramref name="session"/> (its cookie and CSRF token).</summary>
    public HttpClient CreateClient(ApiSession session)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = BaseAddress, Timeout = AgeparAppFixture.StepTimeout };
        client.DefaultRequestHeaders.Add("Cookie", session.Cookies.GetCookieHeader(session.Client.BaseAddress!));
        client.DefaultRequestHeaders.Add("X-CSRF-Token", session.CsrfToken);
        return client;
    }

    /// <summary>A random loopback address other than 127.0.0.1, so counts keyed by client IP start from zero.</summary>
    public static IPAddress NewLoopbackAddress() =>
        new([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);

    /// <summary>SIGKILL: no graceful shutdown, no lease release, no final writes.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    /// <summary>
    /// SIGTERM, as an orchestrator stopping the replica: a graceful shutdown (hosted services run their StopAsync).
    /// Waits (bounded) for the exit code; a replica that already exited just returns it.
    /// </summary>
    public async Task<int> TerminateAsync()
    {
        if (_process.HasExited)
        {
            return _process.ExitCode;
        }

        var signal = await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], Path.GetTempPath(), _ => { });
        Assert.True(signal.ExitCode == 0, signal.Output);
        using var cts = new CancellationTokenSource(AgeparAppFixture.StepTimeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.CompletedTask;
        _process.Dispose();
    }

    private async Task WaitUntilAliveAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < AgeparAppFixture.StepTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The BFF replica exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("/alive");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The BFF replica did not answer /alive within {AgeparAppFixture.StepTimeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
