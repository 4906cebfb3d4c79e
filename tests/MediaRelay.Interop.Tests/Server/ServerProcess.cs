using System.Diagnostics;
using System.Globalization;

namespace MediaRelay.Interop.Tests.Server;

/// <summary>
/// The MediaRelay executable (the build of src/MediaRelay.Server matching this test build) run as its own process in
/// Development mode on loopback, for proofs the in-process host cannot give: <c>kill -9</c> and a restart on the same
/// data directory, or a recording directory on a small filesystem of its own (a tmpfs mounted in a private user and
/// mount namespace, <c>unshare -rm</c>, so no root is needed and nothing outlives the process).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ProcessOutput _output = new();

    private ServerProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string BaseUrl { get; }
    public HttpClient Http { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <param name="dataDirectory">Catalog, keys and (by default) recordings; reused across restarts.</param>
    /// <param name="recordingFilesystemBytes">When set, recordings go to a tmpfs of this size mounted at
    /// <paramref name="recordingDirectory"/> inside the server's own mount namespace.</param>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, string? recordingDirectory = null,
        long? recordingFilesystemBytes = null, params string[] extraArgs)
    {
        string dll = ServerDll();
        int httpPort = ProcessOutput.FreeTcpPort();
        string baseUrl = $"http://127.0.0.1:{httpPort}";
        var args = new List<string>
        {
            dll, "--environment", "Development", "--urls", baseUrl,
            "--MediaRelay:DataDirectory=" + dataDirectory,
            "--MediaRelay:Media:Port=0",
            "--MediaRelay:Media:BindAddress=127.0.0.1",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:MediaRelay.Server.Recording=Information",
        };
        if (recordingDirectory is not null)
        {
            Directory.CreateDirectory(recordingDirectory);
            args.Add("--MediaRelay:Recording:Directory=" + recordingDirectory);
        }
        args.AddRange(extraArgs);

        ProcessStartInfo info;
        if (recordingFilesystemBytes is long bytes)
        {
            // unshare execs sh, sh mounts the tmpfs and execs dotnet: the server keeps this process id.
            info = new ProcessStartInfo("unshare");
            foreach (string a in new[] { "-rm", "sh", "-c", "mount -t tmpfs -o size=\"$1\" tmpfs \"$2\" && shift 2 && exec dotnet \"$@\"", "sh",
                         bytes.ToString(CultureInfo.InvariantCulture), recordingDirectory ?? throw new ArgumentNullException(nameof(recordingDirectory)) })
            {
                info.ArgumentList.Add(a);
            }
        }
        else
        {
            info = new ProcessStartInfo("dotnet");
        }
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var process = new Process { StartInfo = info };
        var server = new ServerProcess(process, baseUrl);
        process.Start();
        server._output.Capture(process);

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"MediaRelay exited at start ({process.ExitCode}):\n{server.Log}");
            }
            try
            {
                using HttpResponseMessage response = await server.Http.GetAsync("/metrics");
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                await server.DisposeAsync();
                throw new TimeoutException("MediaRelay did not answer within 60 s:\n" + server.Log);
            }
            await Task.Delay(200);
        }
    }

    /// <summary>What the server wrote to stdout and stderr so far.</summary>
    public string Log => _output.ToString();

    public string RoomUrl(string roomId, string name) => $"{BaseUrl}/room/{roomId}?name={Uri.EscapeDataString(name)}";

    /// <summary>SIGKILL: no shutdown hook, no flush, no finalizing runs (what a power cut or the OOM killer does).</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private static string ServerDll()
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Debug" : "Release";
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MediaRelay.sln")))
        {
            directory = directory.Parent;
        }
        if (directory is null)
        {
            throw new DirectoryNotFoundException("MediaRelay.sln not found above " + AppContext.BaseDirectory);
        }
        string dll = Path.Combine(directory.FullName, "src", "MediaRelay.Server", "bin", configuration, "net10.0", "MediaRelay.Server.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first (scripts/test.sh does).", dll);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
            {
                // already gone
            }
        }
        _process.Dispose();
    }
}
