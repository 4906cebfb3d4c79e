using MediaRelay.Rtp;

namespace MediaRelay.Rtp.Tests;

/// <summary>
/// The playout-delay extension (http://www.webrtc.org/experiments/rtp-hdrext/playout-delay): 12-bit MIN and MAX in
/// 10 ms units; and a transport-wide sequence number reserved first among several elements, stamped later.
/// </summary>
public class PlayoutDelayTests
{
    [Fact]
    public void Bounds_are_packed_as_two_12_bit_counts_of_10_ms()
    {
        byte[] data = new byte[PlayoutDelay.Length];
        PlayoutDelay.Write(data, 300, 10_000); // 30 = 0x01E, 1000 = 0x3E8
        Assert.Equal(new byte[] { 0x01, 0xE3, 0xE8 }, data);
        Assert.True(PlayoutDelay.TryRead(data, out int min, out int max));
        Assert.Equal((300, 10_000), (min, max));

        PlayoutDelay.Write(data, 99_999, -5); // clamped: 4095 units, 0
        Assert.Equal(new byte[] { 0xFF, 0xF0, 0x00 }, data);
        Assert.False(PlayoutDelay.TryRead(data.AsSpan(0, 2), out _, out _));
    }

    [Fact]
    public void Transport_sequence_reserved_first_is_stamped_in_place_beside_other_elements()
    {
        byte[] packet = new byte[64];
        int header = RtpHeaderWriter.Write(packet, true, 96, 7, 90_000, 0x1234);
        var extensions = new RtpExtensionWriter(packet, header);
        Assert.True(TransportSequenceNumber.TryReserve(ref extensions, 3));
        Span<byte> delay = stackalloc byte[PlayoutDelay.Length];
        PlayoutDelay.Write(delay, 350, 10_000);
        Assert.True(extensions.TryAdd(12, delay));
        Assert.False(TransportSequenceNumber.TryReserve(ref extensions, 3)); // only as the first element
        int length = extensions.End();

        Assert.True(TransportSequenceNumber.TryStamp(packet.AsSpan(0, length), 3, 0xBEEF));
        Assert.True(RtpPacket.TryParse(packet.AsSpan(0, length), out RtpPacket view));
        Assert.True(view.TryGetExtension(3, out ReadOnlySpan<byte> sequence));
        Assert.Equal(new byte[] { 0xBE, 0xEF }, sequence.ToArray());
        Assert.True(view.TryGetExtension(12, out ReadOnlySpan<byte> bounds));
        Assert.True(PlayoutDelay.TryRead(bounds, out int min, out _));
        Assert.Equal(350, min);
        Assert.False(TransportSequenceNumber.TryStamp(packet.AsSpan(0, length), 12, 1)); // not the first element
    }
}
