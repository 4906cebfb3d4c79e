using MediaRelay.Rtp;

namespace MediaRelay.Rtp.Tests;

/// <summary>RFC 4588 §4: restoring the original packet from an RTX packet; padding-only probes carry nothing.</summary>
public class RtxPacketTests
{
    [Fact]
    public void Original_sequence_payload_type_and_ssrc_come_back_with_extensions_and_timestamp_kept()
    {
        byte[] packet = new byte[64];
        int header = RtpHeaderWriter.Write(packet, true, 97, 5000, 123_456, 0x7777);
        var extensions = new RtpExtensionWriter(packet, header);
        extensions.TryAdd(4, "1"u8);
        header = extensions.End();
        byte[] rtxPayload = [0x03, 0xE8, 0x10, 0x00, 0x9D, 0x01]; // OSN 1000, then the VP8 payload
        rtxPayload.CopyTo(packet, header);
        packet[header + rtxPayload.Length + 3] = 4; // 4 bytes of padding (RFC 3550 §5.1)
        packet[0] |= 0x20;
        int length = header + rtxPayload.Length + 4;

        Assert.True(RtxPacket.TryRestore(packet.AsSpan(0, length), 96, 0x1111, out int restored));

        Assert.Equal(header + 4, restored);
        Assert.True(RtpPacket.TryParse(packet.AsSpan(0, restored), out RtpPacket view));
        Assert.Equal((true, (byte)96, (ushort)1000, 123_456u, 0x1111u, false),
            (view.Marker, view.PayloadType, view.SequenceNumber, view.Timestamp, view.Ssrc, view.HasPadding));
        Assert.Equal(new byte[] { 0x10, 0x00, 0x9D, 0x01 }, view.Payload.ToArray());
        Assert.True(view.TryGetExtension(4, out ReadOnlySpan<byte> mid));
        Assert.Equal("1"u8.ToArray(), mid.ToArray());
    }

    [Fact]
    public void Padding_only_and_malformed_packets_are_left_alone()
    {
        byte[] probe = new byte[12 + 224];
        RtpHeaderWriter.Write(probe, false, 97, 1, 0, 0x7777);
        probe[0] |= 0x20;
        probe[^1] = 224;
        Assert.True(RtpPacket.TryParse(probe, out RtpPacket view));
        Assert.True(RtxPacket.IsPaddingOnly(view));
        byte[] copy = (byte[])probe.Clone();
        Assert.False(RtxPacket.TryRestore(probe, 96, 0x1111, out _));
        Assert.Equal(copy, probe);

        var random = new Random(4588);
        for (int i = 0; i < 2000; i++)
        {
            byte[] garbage = new byte[random.Next(0, 80)];
            random.NextBytes(garbage);
            RtxPacket.TryRestore(garbage, 96, 1, out int length); // must not throw
            Assert.InRange(length, 0, garbage.Length);
        }
    }
}
