using System.Buffers.Binary;
using MediaRelay.Rtp.Rtcp;
using MediaRelay.Server.Diagnostics;
using MediaRelay.Sfu;

namespace MediaRelay.Server.Media;

/// <summary>
/// Handles a decrypted RTCP compound packet from a peer: keyframe requests from a subscriber are translated to the
/// publisher of the consumer they name. Reports are read for statistics in later work; malformed input is counted.
/// </summary>
internal static class PeerRtcpReader
{
    private const byte PayloadSpecificFeedback = 206; // RFC 4585 §6.1 PSFB
    private const byte FormatPli = 1;                 // RFC 4585 §6.3.1
    private const byte FormatFir = 4;                 // RFC 5104 §4.3.1

    public static void Handle(WebRtcPeer peer, Span<byte> compound, BadInputLog badInput)
    {
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryReadNext(out RtcpPacketView packet))
        {
            if ((byte)packet.PacketType != PayloadSpecificFeedback)
            {
                continue;
            }
            ReadOnlySpan<byte> data = packet.Buffer;
            if (data.Length < 12)
            {
                badInput.Drop(DropReason.RtcpMalformed);
                continue;
            }
            if (packet.Count == FormatPli)
            {
                RequestKeyFrame(peer, BinaryPrimitives.ReadUInt32BigEndian(data[8..]), badInput);
            }
            else if (packet.Count == FormatFir)
            {
                // RFC 5104 §4.3.1.1: FCI entries of 8 bytes, SSRC first; the media SSRC field is unused.
                for (int offset = 12; offset + 8 <= data.Length; offset += 8)
                {
                    RequestKeyFrame(peer, BinaryPrimitives.ReadUInt32BigEndian(data[offset..]), badInput);
                }
            }
        }
        if (reader.IsMalformed)
        {
            badInput.Drop(DropReason.RtcpMalformed);
        }
    }

    private static void RequestKeyFrame(WebRtcPeer peer, uint mediaSsrc, BadInputLog badInput)
    {
        Consumer? consumer = peer.Media.FindConsumer(mediaSsrc);
        if (consumer is null)
        {
            badInput.Drop(DropReason.RtcpUnknownSsrc);
            return;
        }
        consumer.OnPictureLoss();
    }
}
