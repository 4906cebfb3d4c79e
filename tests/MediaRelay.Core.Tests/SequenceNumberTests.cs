using MediaRelay.Core;

namespace MediaRelay.Core.Tests;

/// <summary>RFC 1982 serial arithmetic and the RFC 3550 §A.1 extended sequence number.</summary>
public sealed class SequenceNumberTests
{
    [Theory]
    [InlineData(1, 0, true)]
    [InlineData(0, 65535, true)]       // wrap
    [InlineData(65535, 0, false)]
    [InlineData(100, 100, false)]
    [InlineData(32767, 0, true)]
    [InlineData(32768, 0, false)]      // exactly half way counts as older
    public void IsNewer_follows_serial_arithmetic(int a, int b, bool newer) =>
        Assert.Equal(newer, SequenceNumber.IsNewer((ushort)a, (ushort)b));

    [Theory]
    [InlineData(5, 3, 2)]
    [InlineData(2, 65534, 4)]
    [InlineData(65534, 2, -4)]
    public void Diff_is_signed_distance(int a, int b, int diff) =>
        Assert.Equal(diff, SequenceNumber.Diff((ushort)a, (ushort)b));

    [Fact]
    public void Timestamps_compare_modulo_two_to_the_32()
    {
        Assert.True(SequenceNumber.IsNewerTimestamp(10, uint.MaxValue - 10));
        Assert.False(SequenceNumber.IsNewerTimestamp(uint.MaxValue - 10, 10));
    }

    [Fact]
    public void Unwrapper_extends_across_wraps_and_tolerates_reordering()
    {
        var u = new SequenceUnwrapper();
        Assert.Equal(65530, u.Unwrap(65530));
        Assert.Equal(65535, u.Unwrap(65535));
        Assert.Equal(65536 + 2, u.Unwrap(2));
        Assert.Equal(65534, u.Unwrap(65534));      // a late packet from before the wrap
        Assert.Equal(65536 + 3, u.Unwrap(3));
        Assert.Equal(2 * 65536 + 1, Unwrap(u, 1)); // keeps counting cycles
    }

    private static long Unwrap(SequenceUnwrapper u, ushort last)
    {
        for (int s = 4; s <= 65535; s += 1000)
        {
            u.Unwrap((ushort)s);
        }
        u.Unwrap(65535);
        return u.Unwrap(last);
    }
}
