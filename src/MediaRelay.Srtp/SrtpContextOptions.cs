namespace MediaRelay.Srtp;

/// <summary>Tuning of an <see cref="SrtpContext"/>; cold-path configuration object.</summary>
public sealed class SrtpContextOptions
{
    public static SrtpContextOptions Default { get; } = new();

    /// <summary>SRTP replay window in packets (rounded up to a multiple of 64). Video reorders under NACK: keep it large.</summary>
    public int RtpReplayWindow { get; init; } = 1024;

    /// <summary>SRTCP replay window in packets (rounded up to a multiple of 64).</summary>
    public int RtcpReplayWindow { get; init; } = 128;

    /// <summary>Most SSRCs one context tracks (per RTP and per RTCP); new ones beyond it get TooManyStreams.</summary>
    public int MaxStreams { get; init; } = 64;

    public SrtpBackend Backend { get; init; } = SrtpBackend.Auto;

    /// <summary>
    /// Benchmarks and diagnostics only: unprotect skips the replay check (still authenticates and tracks ROC).
    /// Never disable in production.
    /// </summary>
    public bool DisableReplayProtection { get; init; }
}
