using MediaRelay.Testing;
using MediaRelay.Transport.Udp;

namespace MediaRelay.Transport.Tests.Udp;

public class PacketDemuxTests
{
    [Theory]
    [InlineData(0, PacketKind.Stun)]
    [InlineData(3, PacketKind.Stun)]
    [InlineData(4, PacketKind.Unknown)]
    [InlineData(15, PacketKind.Unknown)]
    [InlineData(16, PacketKind.ZrtpOrUnknown)]
    [InlineData(19, PacketKind.ZrtpOrUnknown)]
    [InlineData(20, PacketKind.Dtls)]
    [InlineData(22, PacketKind.Dtls)]
    [InlineData(63, PacketKind.Dtls)]
    [InlineData(64, PacketKind.TurnChannel)]
    [InlineData(79, PacketKind.TurnChannel)]
    [InlineData(80, PacketKind.Unknown)]
    [InlineData(127, PacketKind.Unknown)]
    [InlineData(128, PacketKind.Rtp)]
    [InlineData(191, PacketKind.Rtp)]
    [InlineData(192, PacketKind.Unknown)]
    [InlineData(255, PacketKind.Unknown)]
    public void Classifies_by_first_byte_per_rfc7983(byte first, PacketKind expected)
        => Assert.Equal(expected, PacketDemux.Classify([first, 0, 0, 0]));

    [Fact]
    public void Empty_datagram_is_unknown()
        => Assert.Equal(PacketKind.Unknown, PacketDemux.Classify([]));

    [Fact]
    public void Rtcp_is_told_from_rtp_by_packet_type()
    {
        Assert.True(PacketDemux.IsRtcp([0x80, 200]));  // SR
        Assert.True(PacketDemux.IsRtcp([0x81, 205]));  // RTPFB
        Assert.False(PacketDemux.IsRtcp([0x80, 111])); // Opus PT 111
        Assert.False(PacketDemux.IsRtcp([0x80, 0xE0])); // marker + PT 96
        Assert.False(PacketDemux.IsRtcp([0x80]));
    }

    [Fact]
    public void Classify_allocates_nothing()
    {
        byte[] data = [0x80, 0x60, 0, 0];
        int sum = 0;
        long allocated = AllocationMeter.Measure(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                data[0] = (byte)i;
                sum += (int)PacketDemux.Classify(data);
            }
        });
        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
    }
}
