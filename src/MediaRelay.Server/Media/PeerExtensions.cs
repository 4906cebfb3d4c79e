namespace MediaRelay.Server.Media;

/// <summary>
/// The RTP header extension ids one peer negotiated (RFC 8285 §5: one id space per BUNDLE transport); 0 means not
/// negotiated.
/// </summary>
/// <param name="Mid">urn:ietf:params:rtp-hdrext:sdes:mid (RFC 8843 §15), read on what the peer publishes.</param>
/// <param name="Rid">urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id (RFC 8852 §3.3).</param>
/// <param name="RepairedRid">urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id (RFC 8852 §3.3): names the
/// simulcast layer an RTX stream repairs.</param>
/// <param name="AudioLevel">urn:ietf:params:rtp-hdrext:ssrc-audio-level (RFC 6464 §4).</param>
/// <param name="TransportCc">The transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01
/// §2): read on what the peer publishes, written on what it receives.</param>
/// <param name="PlayoutDelay">The playout-delay bounds written on the video the peer receives.</param>
public sealed record PeerExtensions(int Mid = 0, int Rid = 0, int RepairedRid = 0, int AudioLevel = 0,
    int TransportCc = 0, int PlayoutDelay = 0)
{
    public static readonly PeerExtensions None = new();
}
