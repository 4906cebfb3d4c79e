using MediaRelay.Rtp.Rtcp;

namespace MediaRelay.Rtp.Tests.Rtcp;

public class RtcpFeedbackTests
{
    [Fact]
    public void PliGoldenBytesAndRewrite()
    {
        byte[] buf = new byte[12];
        Assert.Equal(12, RtcpPli.Write(buf, 0x01020304, 0x0a0b0c0d));
        Assert.Equal(Hex.Bytes("81 ce 00 02 01 02 03 04 0a 0b 0c 0d"), buf);
        Assert.True(RtcpPli.TryParse(buf, out var pli));
        pli.SenderSsrc = 1;
        pli.MediaSsrc = 2;
        Assert.Equal(Hex.Bytes("81 ce 00 02 00 00 00 01 00 00 00 02"), buf);
        Assert.False(RtcpFir.TryParse(buf, out _));
        Assert.False(RtcpNack.TryParse(buf, out _));
        Assert.False(RtcpRemb.TryParse(buf, out _));
    }

    [Fact]
    public void FirGoldenBytes()
    {
        byte[] buf = new byte[32];
        int n = RtcpFir.Write(buf, 0x01020304, 0x0a0b0c0d, 7);
        Assert.Equal(Hex.Bytes("84 ce 00 04 | 01 02 03 04 | 00 00 00 00 | 0a 0b 0c 0d | 07 00 00 00"), buf.AsSpan(0, n).ToArray());
        Assert.True(RtcpFir.TryParse(buf.AsSpan(0, n), out var fir));
        Assert.Equal(1, fir.EntryCount);
        Assert.Equal(0x0a0b0c0du, fir.GetEntrySsrc(0));
        Assert.Equal(7, fir.GetEntrySequenceNumber(0));
        fir.SetEntrySsrc(0, 0x55);
        fir.SetEntrySequenceNumber(0, 8);
        Assert.Equal(0x55u, fir.GetEntrySsrc(0));
        Assert.Equal(8, fir.GetEntrySequenceNumber(0));

        n = RtcpFir.Write(buf, 1, new uint[] { 2, 3 }, new byte[] { 4, 5 });
        Assert.Equal(28, n);
        Assert.True(RtcpFir.TryParse(buf.AsSpan(0, n), out fir));
        Assert.Equal(2, fir.EntryCount);
        Assert.Equal(3u, fir.GetEntrySsrc(1));
        Assert.Equal(0, RtcpFir.Write(buf, 1, new uint[] { 2 }, new byte[] { 4, 5 }));
    }

    [Fact]
    public void NackGoldenBytes()
    {
        // Lost: 100, 101, 103, 116 -> PID 100, BLP bits 0, 2, 15.
        byte[] buf = new byte[32];
        int n = RtcpNack.Write(buf, 0x01020304, 0x0a0b0c0d, new ushort[] { 100, 101, 103, 116 });
        Assert.Equal(Hex.Bytes("81 cd 00 03 | 01 02 03 04 | 0a 0b 0c 0d | 00 64 80 05"), buf.AsSpan(0, n).ToArray());
        Assert.True(RtcpNack.TryParse(buf.AsSpan(0, n), out var nack));
        Assert.Equal(1, nack.PairCount);
        Assert.Equal(100, nack.GetPacketId(0));
        Assert.Equal(0x8005, nack.GetBitmask(0));
        Assert.Equal(new ushort[] { 100, 101, 103, 116 }, Lost(nack));
    }

    private static List<ushort> Lost(RtcpNack nack)
    {
        var list = new List<ushort>();
        foreach (ushort seq in nack)
        {
            list.Add(seq);
        }
        return list;
    }

    [Fact]
    public void NackPacksAcrossPairsAndWrap()
    {
        ushort[] lost = { 65530, 65535, 0, 9, 10, 40, 41, 57, 58 };
        byte[] buf = new byte[64];
        int n = RtcpNack.Write(buf, 1, 2, lost);
        Assert.True(RtcpNack.TryParse(buf.AsSpan(0, n), out var nack));
        // 65530 covers up to 10 (16 after); 40 covers 41..56; 57 starts another.
        Assert.Equal(3, nack.PairCount);
        Assert.Equal(lost, Lost(nack));
        Assert.Equal(12 + (3 * 4), n);
    }

    [Fact]
    public void NackRoundTripsRandomSets()
    {
        var rng = new Random(1234);
        byte[] buf = new byte[RtcpNack.GetMaxLength(200)];
        for (int round = 0; round < 200; round++)
        {
            ushort start = (ushort)rng.Next(65536);
            var set = new SortedSet<int>();
            int count = rng.Next(1, 200);
            for (int i = 0; i < count; i++)
            {
                set.Add(rng.Next(0, 300));
            }
            var seqs = new List<ushort>();
            foreach (int offset in set)
            {
                seqs.Add((ushort)(start + offset));
            }
            int n = RtcpNack.Write(buf, 1, 2, seqs.ToArray());
            Assert.True(n > 0);
            Assert.True(RtcpNack.TryParse(buf.AsSpan(0, n), out var nack));
            Assert.Equal(seqs, Lost(nack));
        }
    }

    [Fact]
    public void NackUnsortedInputIsStillCovered()
    {
        byte[] buf = new byte[64];
        int n = RtcpNack.Write(buf, 1, 2, new ushort[] { 20, 5, 21, 5 });
        Assert.True(RtcpNack.TryParse(buf.AsSpan(0, n), out var nack));
        var lost = Lost(nack);
        Assert.Contains((ushort)5, lost);
        Assert.Contains((ushort)20, lost);
        Assert.Contains((ushort)21, lost);
    }

    [Fact]
    public void NackRefusesEmptyOrTooSmall()
    {
        Assert.Equal(0, RtcpNack.Write(new byte[64], 1, 2, ReadOnlySpan<ushort>.Empty));
        Assert.Equal(0, RtcpNack.Write(new byte[15], 1, 2, new ushort[] { 1 }));
        Assert.Equal(0, RtcpNack.Write(new byte[16], 1, 2, new ushort[] { 1, 100 }));
        Assert.Equal(20, RtcpNack.Write(new byte[20], 1, 2, new ushort[] { 1, 100 }));
    }

    [Fact]
    public void NackRewritesInPlace()
    {
        byte[] buf = new byte[16];
        RtcpNack.Write(buf, 1, 2, new ushort[] { 7 });
        Assert.True(RtcpNack.TryParse(buf, out var nack));
        nack.MediaSsrc = 99;
        nack.SetPacketId(0, 1000);
        nack.SetBitmask(0, 1);
        Assert.Equal(new ushort[] { 1000, 1001 }, Lost(nack));
        Assert.Equal(99u, nack.MediaSsrc);
    }

    [Fact]
    public void RembGoldenBytes()
    {
        // 1,000,000 bps = 250000 * 2^2 -> word 01 | exp 2 | mantissa 0x3d090 = 0x010bd090.
        byte[] buf = new byte[32];
        int n = RtcpRemb.Write(buf, 0x01020304, 1_000_000, new uint[] { 0x0a0b0c0d });
        Assert.Equal(
            Hex.Bytes("8f ce 00 05 | 01 02 03 04 | 00 00 00 00 | 52 45 4d 42 | 01 0b d0 90 | 0a 0b 0c 0d"),
            buf.AsSpan(0, n).ToArray());
        Assert.True(RtcpRemb.TryParse(buf.AsSpan(0, n), out var remb));
        Assert.Equal(1_000_000ul, remb.Bitrate);
        Assert.Equal(1, remb.SsrcCount);
        Assert.Equal(0x0a0b0c0du, remb.GetSsrc(0));
        remb.SetSsrc(0, 3);
        remb.SenderSsrc = 4;
        Assert.Equal(3u, remb.GetSsrc(0));
        Assert.Equal(4u, remb.SenderSsrc);
        Assert.False(RtcpPli.TryParse(buf.AsSpan(0, n), out _));
    }

    [Theory]
    [InlineData(0ul, 0ul)]
    [InlineData(262143ul, 262143ul)]
    [InlineData(262144ul, 262144ul)]
    [InlineData(2_500_015ul, 2_500_000ul)] // rounds down to the 18-bit mantissa
    [InlineData(ulong.MaxValue, 0x3FFFFul << 46)]
    public void RembBitrateEncoding(ulong bitrate, ulong expected)
    {
        byte[] buf = new byte[20];
        int n = RtcpRemb.Write(buf, 1, bitrate, ReadOnlySpan<uint>.Empty);
        Assert.True(RtcpRemb.TryParse(buf.AsSpan(0, n), out var remb));
        Assert.Equal(expected, remb.Bitrate);
        Assert.Equal(0, remb.SsrcCount);
    }

    [Fact]
    public void RembRejectsBadIdentifierAndCount()
    {
        Assert.False(RtcpRemb.TryParse(Hex.Bytes("8f ce 00 04 00 00 00 01 00 00 00 00 52 45 4d 43 00 00 00 01"), out _));
        Assert.False(RtcpRemb.TryParse(Hex.Bytes("8f ce 00 04 00 00 00 01 00 00 00 00 52 45 4d 42 01 00 00 01"), out _));
        // Huge exponent saturates instead of overflowing.
        Assert.True(RtcpRemb.TryParse(Hex.Bytes("8f ce 00 04 00 00 00 01 00 00 00 00 52 45 4d 42 00 ff ff ff"), out var remb));
        Assert.Equal(ulong.MaxValue, remb.Bitrate);
    }
}
