namespace MediaRelay.Sdp;

/// <summary>Bounds on accepted input. SDP arrives from untrusted peers; anything larger is refused outright.</summary>
public static class SdpLimits
{
    /// <summary>Largest accepted input, in UTF-8 bytes.</summary>
    public const int MaxInputBytes = 64 * 1024;

    /// <summary>Most m= sections accepted.</summary>
    public const int MaxMediaSections = 128;

    /// <summary>Most lines (including empty ones) accepted.</summary>
    public const int MaxLines = 4096;
}
