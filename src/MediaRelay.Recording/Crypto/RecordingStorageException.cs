using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Recording.Crypto;

/// <summary>
/// Writing a recording file to disk failed (disk full, I/O error, permission lost). The file holds every chunk
/// sealed before the failure; the writer is faulted and refuses further writes. The recorder stops the recording,
/// raises an alarm and writes an audit entry.
/// </summary>
public sealed class RecordingStorageException : IOException
{
    private const int UnixNoSpace = 28;            // ENOSPC on Linux and macOS
    private const int WindowsHandleDiskFull = 39;  // ERROR_HANDLE_DISK_FULL
    private const int WindowsDiskFull = 112;       // ERROR_DISK_FULL

    public RecordingStorageException(string message, Exception? inner = null)
        : base(message, inner)
    {
        IsDiskFull = inner is not null && IsDiskFullError(inner);
    }

    /// <summary>True when the underlying error says the disk (or quota) is full.</summary>
    public bool IsDiskFull { get; }

    internal static bool IsDiskFullError(Exception e)
    {
        int code = e.HResult & 0xFFFF;
        return code is UnixNoSpace or WindowsHandleDiskFull or WindowsDiskFull
            || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("disk full", StringComparison.OrdinalIgnoreCase);
    }

    [DoesNotReturn]
    internal static void Throw(string message, Exception? inner = null) =>
        throw new RecordingStorageException(message, inner);
}
