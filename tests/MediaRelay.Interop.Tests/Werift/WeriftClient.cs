using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace MediaRelay.Interop.Tests.Werift;

/// <summary>
/// The werift participant (client.mjs in this folder) as a node child process: joins a room with a token, subscribes
/// to every other producer and publishes ffmpeg-encoded VP8 (and Opus). Its JSON status lines are parsed as they
/// arrive; its stderr (ffmpeg's included) is kept for the test output. Disposing closes its stdin, which makes the
/// script leave the room and exit, and kills the process tree if it has not gone within a few seconds.
/// </summary>
public sealed class WeriftClient : IAsyncDisposable
{
    public const string NodeVariable = "MEDIARELAY_NODE";

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentQueue<string> _events = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile WeriftStatus _status = new();
    private int _disposed;

    private WeriftClient(Process process)
    {
        _process = process;
    }

    /// <summary>The latest status line (an empty status before the first one).</summary>
    public WeriftStatus Status => _status;

    /// <summary>Event lines (joined, negotiated, track, feed, exit…) in arrival order, as raw JSON.</summary>
    public IReadOnlyCollection<string> Events => _events;

    /// <summary>Everything the script and its ffmpeg children wrote to stderr.</summary>
    public IReadOnlyCollection<string> StandardError => _stderr;

    /// <summary>The script's exit code, or null while it runs.</summary>
    public int? ExitCode => _exited.Task.IsCompleted ? _exited.Task.Result : null;

    /// <summary>The folder holding client.mjs, package.json and the node_modules that <c>npm ci</c> installs.</summary>
    public static string ScriptDirectory { get; } = FindScriptDirectory();

    /// <param name="publish">"video", "audio" or "video,audio": what the client publishes from ffmpeg.</param>
    public static WeriftClient Start(string serverUrl, string room, string token, string publish = "video,audio",
        int hardTimeoutSeconds = 60)
    {
        string modules = Path.Combine(ScriptDirectory, "node_modules", "werift");
        if (!Directory.Exists(modules))
        {
            throw new InvalidOperationException(
                $"werift is not installed in {ScriptDirectory}: run ./scripts/setup.sh (npm ci in that folder).");
        }
        string node = Environment.GetEnvironmentVariable(NodeVariable) is { Length: > 0 } n ? n : "node";
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = ScriptDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Node 20 has the WHATWG WebSocket client behind this flag; node 22+ accepts it as a no-op.
        foreach (string arg in new[]
                 {
                     "--experimental-websocket", "--no-warnings", "client.mjs",
                     "--url", serverUrl, "--room", room, "--token", token, "--publish", publish,
                     "--timeout-seconds", hardTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var client = new WeriftClient(process);
        process.OutputDataReceived += (_, e) => client.OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                client._stderr.Enqueue(e.Data);
            }
        };
        process.Exited += (_, _) => client._exited.TrySetResult(process.ExitCode);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start '{node}'");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return client;
    }

    /// <summary>Waits until a status line satisfies <paramref name="predicate"/>; throws with the last one on timeout.</summary>
    public async Task<WeriftStatus> WaitForAsync(Func<WeriftStatus, bool> predicate, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            WeriftStatus status = _status;
            if (predicate(status))
            {
                return status;
            }
            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException(
                    $"werift condition not met within {timeout.TotalSeconds:0.#} s; last status: {status}");
            }
            if (_exited.Task.IsCompleted)
            {
                throw new InvalidOperationException(
                    $"the werift client exited with code {_exited.Task.Result}; last status: {status}");
            }
            await Task.Delay(100);
        }
    }

    private void OnStdout(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            string? type = document.RootElement.TryGetProperty("type", out JsonElement t) ? t.GetString() : null;
            if (type == "status")
            {
                _status = document.RootElement.Deserialize<WeriftStatus>(JsonOptions) ?? _status;
            }
            else
            {
                _events.Enqueue(line);
            }
        }
        catch (JsonException)
        {
            _stderr.Enqueue("(stdout) " + line);
        }
    }

    /// <summary>
    /// Closes stdin (the script leaves and exits), kills the whole tree after 5 s if it is still up, and waits until
    /// stdout and stderr are drained, so <see cref="StandardError"/> is complete afterwards. Idempotent.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // already gone
        }
        if (!await WaitForExitAsync(TimeSpan.FromSeconds(5)))
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // exited meanwhile
            }
            await WaitForExitAsync(TimeSpan.FromSeconds(5));
        }
        _process.Dispose();
    }

    /// <summary>Process.WaitForExitAsync also waits for the redirected streams to reach end of file.</summary>
    private async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static string FindScriptDirectory()
    {
        // Tests run from bin/<configuration>/<framework>; the script lives in the project's source tree.
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (string candidate in new[]
                     {
                         Path.Combine(dir.FullName, "Werift"),
                         Path.Combine(dir.FullName, "tests", "MediaRelay.Interop.Tests", "Werift"),
                     })
            {
                if (File.Exists(Path.Combine(candidate, "client.mjs")))
                {
                    return candidate;
                }
            }
        }
        throw new InvalidOperationException(
            $"tests/MediaRelay.Interop.Tests/Werift/client.mjs not found above {AppContext.BaseDirectory}.");
    }
}
