using MediaRelay.Recording.Media;
using MediaRelay.Testing;

namespace MediaRelay.Recording.Tests.Media;

/// <summary>RFC 6716 §3.1 (TOC byte, configuration table) and §3.2 (frame count of codes 0..3, R5).</summary>
public class OpusTocTests
{
    /// <summary>RFC 6716 §3.1 table 2: frame sizes in ms of configurations 0..31, times 48 samples per ms.</summary>
    private static readonly double[] ConfigurationMilliseconds =
    [
        10, 20, 40, 60, 10, 20, 40, 60, 10, 20, 40, 60, // SILK-only NB, MB, WB
        10, 20, 10, 20,                                 // Hybrid SWB, FB
        2.5, 5, 10, 20, 2.5, 5, 10, 20, 2.5, 5, 10, 20, 2.5, 5, 10, 20, // CELT-only NB, WB, SWB, FB
    ];

    [Fact]
    public void Every_configuration_has_the_frame_size_of_the_RFC_table()
    {
        for (int config = 0; config < 32; config++)
        {
            for (int low = 0; low < 8; low++) // the s bit and the code do not change the frame size
            {
                Assert.Equal((int)(ConfigurationMilliseconds[config] * 48), OpusToc.FrameSamples((byte)((config << 3) | low)));
            }
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xF8, 0xFF, 0xFE }, 1, 960)]       // code 0: one 20 ms CELT frame
    [InlineData(new byte[] { 0x79, 0x01, 0x02 }, 2, 1920)]      // config 15 (hybrid FB 20 ms), code 1: two equal frames
    [InlineData(new byte[] { 0x0A, 0x01, 0x00 }, 2, 1920)]      // config 1 (SILK NB 20 ms), code 2
    [InlineData(new byte[] { 0x0B, 0x03, 0x00 }, 3, 2880)]      // config 1, code 3, M = 3: 60 ms
    [InlineData(new byte[] { 0xE3, 0x30 }, 48, 5760)]            // config 28 (CELT 2.5 ms), code 3, M = 48: 120 ms, the most
    [InlineData(new byte[] { 0xE3, 0x31 }, 49, 0)]               // M = 49: 122.5 ms breaks R5
    [InlineData(new byte[] { 0x1B, 0x03 }, 3, 0)]                // config 3 (60 ms) × 3 = 180 ms
    [InlineData(new byte[] { 0xFB, 0x80 }, 0, 0)]                // code 3 with M = 0 (R4)
    [InlineData(new byte[] { 0xFB }, 0, 0)]                      // code 3 without its frame count byte
    [InlineData(new byte[0], 0, 0)]
    public void Packet_duration_counts_the_frames_of_every_code(byte[] packet, int frames, int samples)
    {
        Assert.Equal(frames, OpusToc.FrameCount(packet));
        Assert.Equal(samples, OpusToc.PacketSamples(packet));
    }

    [Fact]
    public void The_s_bit_is_stereo()
    {
        Assert.False(OpusToc.IsStereo(0xF8));
        Assert.True(OpusToc.IsStereo(0xFC));
        Assert.Equal(20_000, OpusToc.SamplesToMicroseconds(960));
        Assert.Equal(2_500, OpusToc.SamplesToMicroseconds(120));
    }

    [Fact]
    public void Garbage_and_truncated_packets_never_throw()
    {
        var random = new Random(6716);
        var packet = new byte[8];
        for (int i = 0; i < 100_000; i++)
        {
            random.NextBytes(packet);
            int length = random.Next(0, packet.Length + 1);
            int samples = OpusToc.PacketSamples(packet.AsSpan(0, length));
            Assert.InRange(samples, 0, OpusToc.MaxPacketSamples);
            Assert.Equal(0, samples % 120);
        }
    }

    [Fact]
    public void Reading_a_packet_duration_allocates_nothing()
    {
        byte[] packet = [0x0B, 0x03, 0x00];
        long total = 0;
        for (int i = 0; i < 1_000; i++)
        {
            total += OpusToc.PacketSamples(packet);
        }
        long allocated = AllocationMeter.Measure(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                packet[0] = (byte)i;
                total += OpusToc.PacketSamples(packet) + (OpusToc.IsStereo(packet[0]) ? 1 : 0);
            }
        });
        Assert.Equal(0, allocated);
        Assert.True(total > 0);
    }
}
