using MediaRelay.Rtp.Codecs;
using MediaRelay.Testing;

namespace MediaRelay.Rtp.Tests;

/// <summary>RED (RFC 2198 §3): golden bytes, Chromium opus RED, writer round trips, garbage, allocation.</summary>
public class RedPayloadTests
{
    // RFC 2198 §3's figure: a redundant LPC block (PT 7, 14 bytes) and a primary DVI4 block (PT 5, 84 bytes);
    // the timestamp offset is one 20 ms frame at 8 kHz (160). Header by hand:
    // F=1|PT=7 -> 0x87; offset 160 << 10 | length 14 = 0x02800e; final header F=0|PT=5 -> 0x05.
    private static byte[] RfcFigure(out byte[] lpc, out byte[] dvi4)
    {
        lpc = Enumerable.Range(0, 14).Select(i => (byte)(0xa0 + i)).ToArray();
        dvi4 = Enumerable.Range(0, 84).Select(i => (byte)i).ToArray();
        return [.. Hex.Bytes("87 02 80 0e | 05"), .. lpc, .. dvi4];
    }

    [Fact]
    public void ParsesRfcFigure()
    {
        byte[] payload = RfcFigure(out byte[] lpc, out byte[] dvi4);
        Assert.Equal(5 + 14 + 84, payload.Length);

        Assert.True(RedPayload.TryParse(payload, out var red));
        Assert.Equal(2, red.BlockCount);
        Assert.Equal(1, red.RedundantCount);
        Assert.Equal(5, red.HeaderLength);

        var e = red.GetEnumerator();
        Assert.True(e.MoveNext());
        Assert.False(e.Current.IsPrimary);
        Assert.Equal(7, e.Current.PayloadType);
        Assert.Equal(160, e.Current.TimestampOffset);
        Assert.Equal(14, e.Current.Length);
        Assert.True(e.Current.Data.SequenceEqual(lpc));
        Assert.True(e.MoveNext());
        Assert.True(e.Current.IsPrimary);
        Assert.Equal(5, e.Current.PayloadType);
        Assert.Equal(0, e.Current.TimestampOffset);
        Assert.True(e.Current.Data.SequenceEqual(dvi4));
        Assert.False(e.MoveNext());

        Assert.Equal(5, red.Primary.PayloadType);
        Assert.True(RedPayload.TryGetPrimary(payload, out byte pt, out var primary));
        Assert.Equal(5, pt);
        Assert.True(primary.SequenceEqual(dvi4));
    }

    [Fact]
    public void WriterReproducesRfcFigure()
    {
        byte[] expected = RfcFigure(out byte[] lpc, out byte[] dvi4);
        byte[] buffer = new byte[200];
        var w = new RedPayloadWriter(buffer, 1);
        Assert.True(w.TryAddRedundant(7, 160, lpc));
        Assert.True(w.TryWritePrimary(5, dvi4, out int length));
        Assert.Equal(expected, buffer.AsSpan(0, length).ToArray());
    }

    // Chromium's opus RED: RTP PT 63 (red/48000/2, fmtp 111/111) wrapping PT 111 with distance 1, so one
    // redundant block of the previous 20 ms frame: offset 960 at 48 kHz.
    // F=1|PT=111 -> 0xef; 960 << 10 | 40 = 0x0f0028; final header 0x6f.
    [Fact]
    public void ParsesChromiumOpusRed()
    {
        byte[] previous = Enumerable.Range(0, 40).Select(i => (byte)(0x10 + i)).ToArray();
        byte[] current = Enumerable.Range(0, 55).Select(i => (byte)(0x80 + i)).ToArray();
        byte[] payload = [.. Hex.Bytes("ef 0f 00 28 | 6f"), .. previous, .. current];

        Assert.True(RedPayload.TryParse(payload, out var red));
        Assert.Equal(2, red.BlockCount);
        int index = 0;
        foreach (RedBlock block in red)
        {
            Assert.Equal(111, block.PayloadType);
            if (index == 0)
            {
                Assert.Equal(960, block.TimestampOffset);
                Assert.True(block.Data.SequenceEqual(previous));
            }
            else
            {
                Assert.True(block.IsPrimary);
                Assert.True(block.Data.SequenceEqual(current));
            }
            index++;
        }
        Assert.Equal(2, index);

        Assert.True(RedPayload.TryGetPrimary(payload, out byte pt, out var primary));
        Assert.Equal(111, pt);
        Assert.True(primary.SequenceEqual(current));

        byte[] buffer = new byte[payload.Length];
        var w = new RedPayloadWriter(buffer, 1);
        Assert.True(w.TryAddRedundant(111, 960, previous));
        Assert.True(w.TryWritePrimary(111, current, out int length));
        Assert.Equal(payload, buffer.AsSpan(0, length).ToArray());
    }

    [Fact]
    public void PrimaryOnlyAndEmptyBlocks()
    {
        // Distance 0 (Chromium when there is no previous frame yet): just the final header.
        byte[] payload = [0x6f, 1, 2, 3];
        Assert.True(RedPayload.TryGetPrimary(payload, out byte pt, out var primary));
        Assert.Equal(111, pt);
        Assert.Equal(3, primary.Length);

        // An empty redundant block (DTX) and an empty primary are legal.
        Assert.True(RedPayload.TryParse(Hex.Bytes("ef 0f 00 00 6f"), out var red));
        Assert.Equal(2, red.BlockCount);
        Assert.Equal(0, red.Primary.Length);
    }

    [Fact]
    public void WriterRoundTripsSeveralBlocks()
    {
        byte[] buffer = new byte[1200];
        byte[][] blocks = [new byte[1023], new byte[7], Array.Empty<byte>()];
        for (int i = 0; i < blocks.Length; i++)
        {
            new Random(i).NextBytes(blocks[i]);
        }
        byte[] primaryData = [9, 8, 7];
        var w = new RedPayloadWriter(buffer, blocks.Length);
        for (int i = 0; i < blocks.Length; i++)
        {
            Assert.True(w.TryAddRedundant((byte)(100 + i), RedPayload.MaxTimestampOffset - i, blocks[i]));
        }
        Assert.False(w.TryAddRedundant(1, 0, [])); // more than announced
        Assert.True(w.TryWritePrimary(120, primaryData, out int length));
        Assert.Equal((3 * 4) + 1 + 1023 + 7 + 3, length);

        Assert.True(RedPayload.TryParse(buffer.AsSpan(0, length), out var red));
        Assert.Equal(4, red.BlockCount);
        int i2 = 0;
        foreach (RedBlock block in red)
        {
            if (i2 < blocks.Length)
            {
                Assert.Equal(100 + i2, block.PayloadType);
                Assert.Equal(RedPayload.MaxTimestampOffset - i2, block.TimestampOffset);
                Assert.True(block.Data.SequenceEqual(blocks[i2]));
            }
            else
            {
                Assert.Equal(120, block.PayloadType);
                Assert.True(block.Data.SequenceEqual(primaryData));
            }
            i2++;
        }
    }

    [Fact]
    public void WriterRejectsOutOfRangeFields()
    {
        byte[] buffer = new byte[2000];
        Assert.False(new RedPayloadWriter(buffer, 1).TryAddRedundant(128, 0, []));
        Assert.False(new RedPayloadWriter(buffer, 1).TryAddRedundant(1, RedPayload.MaxTimestampOffset + 1, []));
        Assert.False(new RedPayloadWriter(buffer, 1).TryAddRedundant(1, -1, []));
        Assert.False(new RedPayloadWriter(buffer, 1).TryAddRedundant(1, 0, new byte[1024]));
        Assert.False(new RedPayloadWriter(buffer, 1).TryWritePrimary(1, [], out _)); // redundant block missing
        Assert.False(new RedPayloadWriter(buffer, 0).TryWritePrimary(200, [], out _));
        Assert.False(new RedPayloadWriter(new byte[4], 1).TryAddRedundant(1, 0, []));
        Assert.False(new RedPayloadWriter(new byte[6], 1).TryAddRedundant(1, 0, [1, 2]));
        Assert.False(new RedPayloadWriter(new byte[2], 0).TryWritePrimary(1, [1, 2], out _));
        Assert.False(new RedPayloadWriter(buffer, -1).TryWritePrimary(1, [], out _));
    }

    [Fact]
    public void RejectsBadLengths()
    {
        Assert.False(RedPayload.TryParse([], out _));
        Assert.False(RedPayload.TryGetPrimary([], out _, out _));
        Assert.False(RedPayload.TryParse(Hex.Bytes("ef 0f 00"), out _));          // truncated header
        Assert.False(RedPayload.TryParse(Hex.Bytes("ef 0f 00 28"), out _));       // no final header
        Assert.False(RedPayload.TryParse(Hex.Bytes("ef 0f 00 02 6f 01"), out _)); // block longer than the payload
        Assert.False(RedPayload.TryParse(Hex.Bytes("ef 0f 00 01 ef 0f 00 01 6f 01"), out _)); // sum too long
        Assert.True(RedPayload.TryParse(Hex.Bytes("ef 0f 00 01 ef 0f 00 01 6f 01 02"), out var ok));
        Assert.Equal(0, ok.Primary.Length);
    }

    [Fact]
    public void GarbageNeverThrows()
    {
        var rng = new Random(2198);
        byte[] buf = new byte[64];
        int parsed = 0;
        for (int i = 0; i < 100_000; i++)
        {
            int length = rng.Next(0, buf.Length + 1);
            rng.NextBytes(buf);
            if ((i & 1) == 0)
            {
                // Short plausible block lengths, so some inputs parse.
                for (int h = 0; h + 3 < length; h += 4)
                {
                    buf[h + 2] &= 0xfc;
                    buf[h + 3] &= 0x07;
                }
            }
            ReadOnlySpan<byte> data = buf.AsSpan(0, length);
            bool a = RedPayload.TryParse(data, out var red);
            bool b = RedPayload.TryGetPrimary(data, out byte pt, out var primary);
            Assert.Equal(a, b);
            if (a)
            {
                parsed++;
                int total = red.HeaderLength, count = 0;
                foreach (RedBlock block in red)
                {
                    total += block.Length;
                    count++;
                    Assert.True(block.PayloadType <= 0x7f);
                }
                Assert.Equal(red.BlockCount, count);
                Assert.Equal(length, total);
                Assert.Equal(pt, red.Primary.PayloadType);
                Assert.Equal(primary.Length, red.Primary.Length);
            }
        }
        Assert.True(parsed > 1000);

        // Every truncation of a valid payload either parses or is rejected.
        byte[] valid = RfcFigure(out _, out _);
        for (int n = 0; n <= valid.Length; n++)
        {
            bool ok = RedPayload.TryGetPrimary(valid.AsSpan(0, n), out _, out var p);
            Assert.Equal(n >= 19, ok);
            if (ok)
            {
                Assert.Equal(n - 19, p.Length);
            }
        }
    }

    [Fact]
    public void ParseUnwrapAndWriteDoNotAllocate()
    {
        byte[] previous = new byte[40];
        byte[] current = new byte[60];
        byte[] buffer = new byte[1200];
        long sum = Run(previous, current, buffer, 100);
        long allocated = AllocationMeter.Measure(() => sum += Run(previous, current, buffer, 10_000));
        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
    }

    private static long Run(byte[] previous, byte[] current, byte[] buffer, int iterations)
    {
        long sum = 0;
        for (int i = 0; i < iterations; i++)
        {
            var w = new RedPayloadWriter(buffer, 1);
            w.TryAddRedundant(111, 960, previous);
            w.TryWritePrimary(111, current, out int length);
            ReadOnlySpan<byte> payload = buffer.AsSpan(0, length);
            if (RedPayload.TryGetPrimary(payload, out byte pt, out var primary))
            {
                sum += pt + primary.Length;
            }
            if (RedPayload.TryParse(payload, out var red))
            {
                foreach (RedBlock block in red)
                {
                    sum += block.TimestampOffset + block.Length;
                }
            }
        }
        return sum;
    }
}
