using MediaRelay.Rtp.Codecs;
using static MediaRelay.Testing.H264Payloads;

namespace MediaRelay.Rtp.Tests;

/// <summary>
/// The picture size of an SPS inside an H.264 RTP payload (RFC 6184 §5.6 single NAL unit, §5.7.1 STAP-A), as the
/// SFU reads it to size simulcast layers. The SPS are libx264's (baseline, from ffmpeg 5.1 on this machine).
/// </summary>
public sealed class H264SpsSizeTests
{
    public static readonly TheoryData<string, int, int> Sps = new()
    {
        { "6742c00dd901419f9f0110000003001000000303c0f142a480", 320, 180 },
        { "6742c01ed900a02ff970110000030001000003003c0f162e48", 640, 360 },
        { "6742c01fd9005005bb0110000003001000000303c0f1832480", 1280, 720 },
    };

    private static readonly byte[] Pps = [0x68, 0xCE, 0x3C, 0x80];
    private static readonly byte[] IdrStart = [0x65, 0x88, 0x84, 0x00, 0x33];

    [Theory]
    [MemberData(nameof(Sps))]
    public void A_single_nal_unit_sps_gives_its_size(string hex, int width, int height)
    {
        Assert.True(H264Packetization.TryReadSpsSize(Convert.FromHexString(hex), out int w, out int h));
        Assert.Equal((width, height), (w, h));
    }

    [Theory]
    [MemberData(nameof(Sps))]
    public void An_sps_aggregated_with_pps_and_idr_gives_its_size(string hex, int width, int height)
    {
        byte[] stapA = StapA(Convert.FromHexString(hex), Pps, IdrStart);
        Assert.True(H264Packetization.IsKeyframe(stapA));
        Assert.True(H264Packetization.TryReadSpsSize(stapA, out int w, out int h));
        Assert.Equal((width, height), (w, h));
    }

    [Fact]
    public void Payloads_without_a_readable_sps_give_no_size()
    {
        byte[] sps = Convert.FromHexString("6742c01ed900a02ff970110000030001000003003c0f162e48");
        byte[][] payloads =
        [
            [],
            IdrStart,
            StapA(Pps, IdrStart),                    // no SPS aggregated
            StapA(sps)[..10],                        // the SPS's size runs past the packet
            [0x7C, 0x87, .. sps[1..]],               // FU-A start fragment of an SPS: not read
            [0x67, 0x42],                            // an SPS cut short
        ];
        foreach (byte[] payload in payloads)
        {
            Assert.False(H264Packetization.TryReadSpsSize(payload, out int w, out int h));
            Assert.Equal((0, 0), (w, h));
        }
    }
}
