using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Recording.Crypto;

/// <summary>A recording file (journal or file at rest) is malformed, tampered with, or needs another key.</summary>
public sealed class RecordingFormatException : Exception
{
    public RecordingFormatException(RecordingFormatError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    public RecordingFormatError Error { get; }

    [DoesNotReturn]
    internal static void Throw(RecordingFormatError error, string message, Exception? inner = null) =>
        throw new RecordingFormatException(error, message, inner);
}
