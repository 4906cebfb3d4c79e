using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace MediaRelay.Dtls.Tests.OpenSsl;

/// <summary>An `openssl` command-line process whose output we collect; killed on Dispose.</summary>
internal sealed class OpenSslProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private OpenSslProcess(Process process)
    {
        _process = process;
    }

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

    public static OpenSslProcess Start(string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var result = new OpenSslProcess(process);
        process.OutputDataReceived += (_, e) => result.Append(e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Runs to completion (bounded) and returns the exit code.</summary>
    public static int Run(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        using OpenSslProcess process = Start(workingDirectory, arguments);
        process.CloseInput();
        if (!process._process.WaitForExit(timeout))
        {
            throw new TimeoutException("openssl " + string.Join(' ', arguments) + " did not finish");
        }

        return process._process.ExitCode;
    }

    /// <summary>Waits (bounded) until the collected output matches; null on timeout.</summary>
    public Match? WaitFor(Regex pattern, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        lock (_output)
        {
            while (true)
            {
                Match match = pattern.Match(_output.ToString());
                if (match.Success)
                {
                    return match;
                }

                TimeSpan left = timeout - watch.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    return null;
                }

                Monitor.Wait(_output, left);
            }
        }
    }

    public void CloseInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (Exception)
        {
            // The process may already be gone.
        }
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception)
        {
            // Already exited.
        }

        _process.Dispose();
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
            Monitor.PulseAll(_output);
        }
    }
}
