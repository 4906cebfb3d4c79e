using System.Diagnostics;

namespace MediaRelay.LoadTest.Targets;

/// <summary>
/// A server process started on the server core (`taskset -c CPU`), its output kept in a log file, killed with its
/// children on dispose.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ChildProcess(Process process, StreamWriter log, string logPath)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string LogPath { get; }

    public static ChildProcess Start(string cpuList, string file, IEnumerable<string> arguments, string logPath,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(cpuList);
        info.ArgumentList.Add(file);
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start " + file);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process, log, logPath);
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            log.WriteLine(line);
        }
    }

    public string LogTail(int lines = 30)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            string[] all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
            {
                // gone already
            }
        }
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
