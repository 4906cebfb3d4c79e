using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MediaRelay.Interop.Tests.Server;

/// <summary>Collects a child process's stdout and stderr lines (thread-safe) for failure messages.</summary>
public sealed class ProcessOutput
{
    private readonly StringBuilder _text = new();

    /// <summary>Starts reading both streams of <paramref name="process"/> (call right after Start).</summary>
    public void Capture(Process process)
    {
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }

    /// <summary>A loopback TCP port that was free a moment ago (for a child process to listen on).</summary>
    public static int FreeTcpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_text)
        {
            _text.AppendLine(line);
        }
    }
}
