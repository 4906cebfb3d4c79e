using MediaRelay.Rtp.Codecs;

namespace MediaRelay.Rtp.Tests;

/// <summary>RFC 6386 §9.1 keyframe start: frame tag, start code, 14-bit dimensions with scale bits.</summary>
public sealed class Vp8KeyframeHeaderTests
{
    // Descriptor: X=1, S=1, PID=0; extension byte I=1; 15-bit picture id. Then the VP8 keyframe header for 640x360
    // with scale bits set (which must be masked off).
    private static readonly byte[] Keyframe640x360 =
    [
        0x90, 0x80, 0x81, 0x23,
        0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x42, 0x68, 0x41,
    ];

    [Fact]
    public void Reads_width_and_height_of_a_keyframe()
    {
        Assert.True(Vp8KeyframeHeader.TryReadSize(Keyframe640x360, out int width, out int height));
        Assert.Equal(640, width);
        Assert.Equal(360, height);
    }

    [Fact]
    public void Delta_frames_and_continuations_have_no_size()
    {
        byte[] delta = (byte[])Keyframe640x360.Clone();
        delta[4] |= 0x01; // P bit set: inter frame
        Assert.False(Vp8KeyframeHeader.TryReadSize(delta, out _, out _));
        byte[] continuation = (byte[])Keyframe640x360.Clone();
        continuation[0] &= 0xEF; // S bit clear
        Assert.False(Vp8KeyframeHeader.TryReadSize(continuation, out _, out _));
    }

    [Fact]
    public void Truncated_or_garbage_payloads_are_refused_without_throwing()
    {
        for (int n = 0; n < Keyframe640x360.Length; n++)
        {
            Assert.False(Vp8KeyframeHeader.TryReadSize(Keyframe640x360.AsSpan(0, n), out _, out _));
        }
        var random = new Random(3);
        byte[] buffer = new byte[32];
        for (int i = 0; i < 10_000; i++)
        {
            random.NextBytes(buffer);
            Vp8KeyframeHeader.TryReadSize(buffer.AsSpan(0, random.Next(0, 33)), out _, out _);
        }
    }
}
