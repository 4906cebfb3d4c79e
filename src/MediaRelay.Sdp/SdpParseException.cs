namespace MediaRelay.Sdp;

/// <summary>
/// Thrown when a session description cannot be parsed (RFC 8866 §5 grammar or the input limits in
/// <see cref="SdpLimits"/>). <see cref="LineNumber"/> is 1-based; 0 means the input as a whole.
/// </summary>
public sealed class SdpParseException : FormatException
{
    public SdpParseException(int lineNumber, string reason)
        : base(lineNumber > 0 ? $"SDP line {lineNumber}: {reason}" : $"SDP: {reason}")
    {
        LineNumber = lineNumber;
        Reason = reason;
    }

    /// <summary>1-based line of the offending input line; 0 when the whole input is refused.</summary>
    public int LineNumber { get; }

    /// <summary>Why the line was refused, without the line number prefix.</summary>
    public string Reason { get; }
}
