namespace MediaRelay.Interop.Tests.Chromium;

/// <summary>
/// Totals over every RTCPeerConnection a page created, read from <c>getStats()</c> (W3C webrtc-stats:
/// RTCInboundRtpStreamStats, RTCOutboundRtpStreamStats, RTCCodecStats).
/// </summary>
public sealed record WebRtcStatsSnapshot
{
    /// <summary>How many RTCPeerConnection objects the page has constructed (closed ones included).</summary>
    public int PeerConnections { get; init; }

    /// <summary><c>connectionState</c> of each peer connection, in creation order.</summary>
    public IReadOnlyList<string> ConnectionStates { get; init; } = [];

    /// <summary>Sum of <c>framesDecoded</c> over inbound-rtp video streams.</summary>
    public long VideoFramesDecoded { get; init; }

    /// <summary>Sum of <c>packetsReceived</c> over inbound-rtp video streams.</summary>
    public long VideoPacketsReceived { get; init; }

    /// <summary>Largest <c>frameWidth</c> over inbound-rtp video streams (0 before the first decoded frame).</summary>
    public int MaxVideoFrameWidth { get; init; }

    /// <summary>Sum of <c>packetsReceived</c> over inbound-rtp audio streams.</summary>
    public long AudioPacketsReceived { get; init; }

    /// <summary>Sum of <c>packetsSent</c> over all outbound-rtp streams.</summary>
    public long PacketsSent { get; init; }

    /// <summary>Distinct codec <c>mimeType</c>s of the inbound streams, e.g. "video/VP8", "audio/opus".</summary>
    public IReadOnlyList<string> InboundCodecs { get; init; } = [];

    public override string ToString() =>
        $"peerConnections={PeerConnections} states=[{string.Join(',', ConnectionStates)}] " +
        $"video: framesDecoded={VideoFramesDecoded} packetsReceived={VideoPacketsReceived} " +
        $"maxFrameWidth={MaxVideoFrameWidth}; audio: packetsReceived={AudioPacketsReceived}; " +
        $"packetsSent={PacketsSent} codecs=[{string.Join(',', InboundCodecs)}]";
}
