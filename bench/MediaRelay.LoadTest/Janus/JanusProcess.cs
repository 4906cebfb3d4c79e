using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;

namespace MediaRelay.LoadTest.Janus;

/// <summary>
/// A Janus gateway started from a private configuration (see <see cref="JanusConfigWriter"/>), pinned with
/// taskset, output in WorkDir/janus.log. Must run in a network namespace where <see cref="JanusOptions.Interface"/>
/// carries 127.0.0.2: Janus never gathers candidates on a loopback interface (see README.md).
/// </summary>
public sealed class JanusProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly string _logPath;
    private readonly string _serverName;
    private int _disposed;

    private JanusProcess(Process process, Uri apiBase, string logPath, string serverName)
    {
        _serverName = serverName;
        ProcessId = process.Id;
        _process = process;
        ApiBase = apiBase;
        _logPath = logPath;
    }

    /// <summary>Pid of the janus process itself (sh and taskset exec into it), for /proc/&lt;pid&gt;/stat.</summary>
    public int ProcessId { get; }

    /// <summary>http://127.0.0.1:&lt;port&gt;/janus</summary>
    public Uri ApiBase { get; }

    public string LogPath => _logPath;

    public bool HasExited => Volatile.Read(ref _disposed) != 0 || _process.HasExited;

    /// <summary>Address Janus offers as its only host candidate when the namespace is set up as README.md shows.</summary>
    public static IPAddress CandidateAddress { get; } = IPAddress.Parse("127.0.0.2");

    /// <summary>
    /// True when the janus binary exists and <paramref name="interfaceName"/> is up with 127.0.0.2; otherwise
    /// <paramref name="reason"/> says what is missing.
    /// </summary>
    public static bool CanRun(out string reason, string interfaceName = "jveth0", string janusBinary = "/usr/bin/janus")
    {
        if (!File.Exists(janusBinary))
        {
            reason = $"{janusBinary} not found (apt-get install -y janus)";
            return false;
        }

        if (!File.Exists("/usr/bin/taskset"))
        {
            reason = "/usr/bin/taskset not found (util-linux)";
            return false;
        }

        foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.Name != interfaceName)
            {
                continue;
            }

            foreach (UnicastIPAddressInformation address in nic.GetIPProperties().UnicastAddresses)
            {
                if (address.Address.Equals(CandidateAddress))
                {
                    reason = string.Empty;
                    return true;
                }
            }

            reason = $"interface {interfaceName} exists but does not carry {CandidateAddress}";
            return false;
        }

        reason = $"interface {interfaceName} not found: run inside 'unshare -rn' with the veth set up (see Janus/README.md)";
        return false;
    }

    /// <summary>Writes the configs, starts Janus and waits until GET /janus/info answers.</summary>
    public static async Task<JanusProcess> StartAsync(JanusOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        string workDir = Path.GetFullPath(options.WorkDir);
        string etcDir = Path.Combine(workDir, "etc");
        string serverName = "janus-loadtest-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        string config = JanusConfigWriter.Write(options, etcDir, serverName);
        string logPath = Path.Combine(workDir, "janus.log");

        // sh redirects the output to the log file; "exec" twice (sh -> taskset -> janus) keeps one pid.
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec /usr/bin/taskset -c \"$1\" \"$2\" -F \"$3\" -C \"$4\" -o >\"$5\" 2>&1 </dev/null");
        start.ArgumentList.Add("janus-loadtest");
        start.ArgumentList.Add(options.CpuList);
        start.ArgumentList.Add(options.JanusBinary);
        start.ArgumentList.Add(etcDir);
        start.ArgumentList.Add(config);
        start.ArgumentList.Add(logPath);

        Process process = Process.Start(start)
            ?? throw new InvalidOperationException("could not start /bin/sh for janus");
        var apiBase = new Uri($"http://127.0.0.1:{options.HttpPort}/janus");
        var janus = new JanusProcess(process, apiBase, logPath, serverName);
        try
        {
            await janus.WaitUntilReadyAsync(ct).ConfigureAwait(false);
            return janus;
        }
        catch
        {
            await janus.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of janus.log.</summary>
    public string LogTail(int lines = 30)
    {
        try
        {
            using var stream = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            string[] all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
        }
        catch (IOException e)
        {
            return $"(cannot read {_logPath}: {e.Message})";
        }
    }

    /// <summary>SIGTERM (Janus shuts down cleanly), wait up to 5 s, then SIGKILL.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                using (var kill = Process.Start("/bin/kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                {
                    await kill.WaitForExitAsync().ConfigureAwait(false);
                }

                using var wait = new CancellationTokenSource(StopTimeout);
                try
                {
                    await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync().ConfigureAwait(false);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var info = new Uri(ApiBase + "/info");
        var watch = Stopwatch.StartNew();
        string lastError = "no answer";
        while (watch.Elapsed < StartTimeout)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"janus exited with code {_process.ExitCode} while starting; {_logPath} ends with:\n{LogTail()}");
            }

            try
            {
                using HttpResponseMessage response = await http.GetAsync(info, ct).ConfigureAwait(false);
                string body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode && body.Contains(_serverName, StringComparison.Ordinal))
                {
                    return;
                }

                // Another server (an older Janus?) holds the port: ours will fail to bind and exit.
                lastError = $"HTTP {(int)response.StatusCode} from a server that is not this Janus ({_serverName})";
            }
            catch (HttpRequestException e)
            {
                lastError = e.Message;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                lastError = "timeout";
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }

        throw new TimeoutException(
            $"janus did not answer {info} within {StartTimeout.TotalSeconds:0} s ({lastError}); {_logPath} ends with:\n{LogTail()}");
    }
}
