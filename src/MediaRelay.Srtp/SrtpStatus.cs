namespace MediaRelay.Srtp;

/// <summary>Outcome of a protect or unprotect call; the hot path never throws for bad input.</summary>
public enum SrtpStatus : byte
{
    Ok = 0,

    /// <summary>Shorter than the fixed header (plus tag/trailer for unprotect), or a header that overruns the packet.</summary>
    TooShort,

    /// <summary>The span cannot hold the result (protect: length + overhead), or length exceeds the span.</summary>
    BufferTooSmall,

    /// <summary>Tag mismatch: forged, corrupted, or keyed differently.</summary>
    AuthenticationFailed,

    /// <summary>This packet index was already accepted (duplicate / replay).</summary>
    ReplayDetected,

    /// <summary>The packet index is behind the replay window.</summary>
    ReplayTooOld,

    /// <summary>A new SSRC arrived while the context already tracks its maximum number of streams.</summary>
    TooManyStreams,

    /// <summary>Not RTP version 2 (or a malformed RTCP header).</summary>
    InvalidPacket,

    /// <summary>The SRTCP index (2^31) or SRTP index (2^48) is exhausted: the context must be re-keyed.</summary>
    KeyLimitReached,
}
