namespace MediaRelay.Sfu;

/// <summary>
/// A codec as negotiated on one endpoint: the payload type is that endpoint's, the rest identifies the codec across
/// endpoints (RFC 8866 §6.6 rtpmap + §6.15 fmtp).
/// </summary>
public sealed record RtpCodec(byte PayloadType, string Name, int ClockRate, int Channels, string? Fmtp)
{
    /// <summary>True when both describe the same bitstream format, whatever their payload types.</summary>
    public bool IsSameFormat(RtpCodec other) =>
        string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase)
        && ClockRate == other.ClockRate
        && (Channels == other.Channels || Channels <= 1 && other.Channels <= 1);
}
