using MediaRelay.Rtp.Rtcp;
using MediaRelay.Testing;
using Result = MediaRelay.Rtp.Rtcp.RtcpTransportFeedback.PacketResult;

namespace MediaRelay.Rtp.Tests;

public class RtcpTransportFeedbackTests
{
    private const uint Sender = 0x11223344;
    private const uint Media = 0x55667788;

    /// <summary>Arrival quantized as the writer does: floor to 250 µs.</summary>
    private static long Quantize(long micros) => (long)Math.Floor(micros / 250.0) * 250;

    private static Result[] RoundTrip(Result[] packets, ushort baseSequence, out RtcpTransportFeedback view, byte[] buffer)
    {
        int reference = RtcpTransportFeedback.GetReferenceTime(packets.First(p => p.Received).ArrivalMicros);
        int written = RtcpTransportFeedback.Write(buffer, Sender, Media, baseSequence, reference, 9, packets);
        Assert.True(written > 0);
        Assert.Equal(0, written % 4);
        Assert.True(written <= RtcpTransportFeedback.GetMaxLength((ushort)(packets[^1].Sequence - baseSequence) + 1));
        Assert.True(RtcpTransportFeedback.TryParse(buffer.AsSpan(0, written), out view));
        var decoded = new Result[view.StatusCount];
        Assert.True(view.TryRead(decoded, out int count));
        Assert.Equal(decoded.Length, count);
        return decoded;
    }

    private static void AssertMatches(Result[] packets, ushort baseSequence, Result[] decoded)
    {
        var bySequence = packets.ToDictionary(p => p.Sequence);
        for (int i = 0; i < decoded.Length; i++)
        {
            ushort seq = (ushort)(baseSequence + i);
            Assert.Equal(seq, decoded[i].Sequence);
            bool received = bySequence.TryGetValue(seq, out Result original) && original.Received;
            Assert.Equal(received, decoded[i].Received);
            if (received)
            {
                Assert.Equal(Quantize(original.ArrivalMicros), decoded[i].ArrivalMicros);
            }
        }
    }

    private static void Check(Result[] packets, ushort? baseSequence = null)
    {
        ushort b = baseSequence ?? packets[0].Sequence;
        byte[] buffer = new byte[RtcpTransportFeedback.GetMaxLength(70000)];
        Result[] decoded = RoundTrip(packets, b, out _, buffer);
        AssertMatches(packets, b, decoded);
    }

    [Fact]
    public void GoldenBytesMixedDeltas()
    {
        // Base 100, reference time 1 (64 ms), fb count 7. 100 at 64.25 ms (small +1), 101 lost, 102 at 65.0 ms
        // (small +3), 103 at 64.0 ms (negative -4 → large). A 2-bit vector: 11 01 00 01 10 000000 = 0xD180.
        Result[] packets = [new(100, true, 64_250), new(101, false, 0), new(102, true, 65_000), new(103, true, 64_000)];
        byte[] buffer = new byte[64];
        int written = RtcpTransportFeedback.Write(buffer, Sender, Media, 100, 1, 7, packets);
        byte[] expected = Hex.Bytes(
            "8f cd 00 06 | 11 22 33 44 | 55 66 77 88 | 00 64 00 04 | 00 00 01 07 | d1 80 01 03 | ff fc 00 00");
        Assert.Equal(expected, buffer.AsSpan(0, written).ToArray());

        Assert.True(RtcpTransportFeedback.TryParse(expected, out var view));
        Assert.Equal(Sender, view.SenderSsrc);
        Assert.Equal(Media, view.MediaSsrc);
        Assert.Equal(100, view.BaseSequence);
        Assert.Equal(4, view.StatusCount);
        Assert.Equal(1, view.ReferenceTime);
        Assert.Equal(7, view.FeedbackPacketCount);
        var decoded = new Result[4];
        Assert.True(view.TryRead(decoded, out int count));
        Assert.Equal(4, count);
        Assert.Equal(packets, decoded);
    }

    [Fact]
    public void GoldenBytesOneBitVector()
    {
        // Statuses 1 0 1 (no large): 1-bit vector 1 0 | 1 0 1 00000000000 = 0xA800; deltas 01 03; 24 bytes.
        Result[] packets = [new(100, true, 64_250), new(102, true, 65_000)];
        byte[] buffer = new byte[64];
        int written = RtcpTransportFeedback.Write(buffer, Sender, Media, 100, 1, 7, packets);
        Assert.Equal(
            Hex.Bytes("8f cd 00 05 | 11 22 33 44 | 55 66 77 88 | 00 64 00 03 | 00 00 01 07 | a8 00 01 03"),
            buffer.AsSpan(0, written).ToArray());
    }

    [Fact]
    public void AllReceivedLongRunUsesRunLengthChunks()
    {
        // 10 000 packets 1 ms apart (delta 4 ticks, small): one run length chunk of up to 8191 each.
        Result[] packets = Enumerable.Range(0, 10_000).Select(i => new Result((ushort)(500 + i), true, 1_000_000 + (i * 1000L))).ToArray();
        byte[] buffer = new byte[RtcpTransportFeedback.GetMaxLength(10_000)];
        Result[] decoded = RoundTrip(packets, 500, out var view, buffer);
        AssertMatches(packets, 500, decoded);
        Assert.Equal(0x2000 | 8191, (buffer[20] << 8) | buffer[21]);
        Assert.Equal(0x2000 | (10_000 - 8191), (buffer[22] << 8) | buffer[23]);
        Assert.Equal((20 + 4 + 10_000 + 3) & ~3, view.Buffer.Length);
    }

    [Fact]
    public void LossesAndRunsLongerThanThirteen()
    {
        var list = new List<Result>();
        long t = 5_000_000;
        for (int i = 0; i < 200; i++)
        {
            t += 700;
            bool lostBurst = i is >= 20 and < 60; // a run of 40 losses
            bool sparse = i % 9 == 4;
            if (!lostBurst && !sparse)
            {
                list.Add(new Result((ushort)(1000 + i), true, t));
            }
            else if (i % 2 == 0)
            {
                list.Add(new Result((ushort)(1000 + i), false, 0)); // explicit loss entry
            }
        }
        list.Add(new Result(1200, true, t + 1000));
        Check(list.ToArray(), 1000);
    }

    [Fact]
    public void MixedSmallLargeAndNegativeDeltas()
    {
        var rng = new Random(7);
        var list = new List<Result>();
        long t = 3_000_000;
        for (int i = 0; i < 500; i++)
        {
            t += rng.Next(8) switch
            {
                0 => 70_000,            // large positive (> 63.75 ms)
                1 => -rng.Next(1, 20_000), // reordering: negative
                2 => 0,
                _ => rng.Next(0, 5_000),
            };
            if (rng.Next(10) != 0)
            {
                list.Add(new Result((ushort)(40 + i), true, t));
            }
        }
        Check(list.ToArray(), 40);
    }

    [Fact]
    public void SequenceNumbersWrapAround()
    {
        Result[] packets = Enumerable.Range(0, 300).Where(i => i % 17 != 3)
            .Select(i => new Result((ushort)(65_400 + i), true, 10_000 + (i * 333L))).ToArray();
        Assert.True(packets[^1].Sequence < packets[0].Sequence);
        Check(packets, 65_400);
    }

    [Fact]
    public void WriterRejectsBadInput()
    {
        byte[] buffer = new byte[256];
        Assert.Equal(0, RtcpTransportFeedback.Write(buffer, 1, 2, 0, 0, 0, []));
        Result[] outOfOrder = [new(5, true, 1000), new(4, true, 2000)];
        Assert.Equal(0, RtcpTransportFeedback.Write(buffer, 1, 2, 4, 0, 0, outOfOrder));
        Result[] tooFar = [new(1, true, 1000), new(2, true, 9_000_000)];
        Assert.Equal(0, RtcpTransportFeedback.Write(buffer, 1, 2, 1, 0, 0, tooFar));
        Result[] ok = [new(1, true, 1000), new(2, true, 2000)];
        Assert.Equal(0, RtcpTransportFeedback.Write(buffer.AsSpan(0, 23), 1, 2, 1, 0, 0, ok));
        Assert.Equal(24, RtcpTransportFeedback.Write(buffer, 1, 2, 1, 0, 0, ok));
    }

    [Fact]
    public void ShortDestinationDecodesPrefix()
    {
        Result[] packets = Enumerable.Range(0, 50).Select(i => new Result((ushort)i, true, 1000 + (i * 5000L))).ToArray();
        byte[] buffer = new byte[512];
        int written = RtcpTransportFeedback.Write(buffer, 1, 2, 0, 0, 0, packets);
        Assert.True(RtcpTransportFeedback.TryParse(buffer.AsSpan(0, written), out var view));
        var decoded = new Result[10];
        Assert.True(view.TryRead(decoded, out int count));
        Assert.Equal(10, count);
        Assert.Equal(packets.Take(10).Select(p => p with { ArrivalMicros = Quantize(p.ArrivalMicros) }), decoded);
    }

    [Fact]
    public void GarbageNeverThrows()
    {
        var rng = new Random(99);
        byte[] buf = new byte[200];
        var results = new Result[64];
        for (int i = 0; i < 50_000; i++)
        {
            rng.NextBytes(buf);
            int length = rng.Next(0, buf.Length + 1);
            buf[0] = (byte)(0x80 | (i % 3 == 0 ? buf[0] & 0x3f : 15));
            buf[1] = 205;
            buf[2] = 0;
            buf[3] = (byte)(buf[3] % 52);
            if (RtcpTransportFeedback.TryParse(buf.AsSpan(0, length), out var view))
            {
                view.TryRead(results, out _);
                view.TryRead(results.AsSpan(0, 1), out _);
            }
        }
        // Truncations of a valid packet.
        Result[] packets = Enumerable.Range(0, 40).Select(i => new Result((ushort)i, i % 5 != 0, 1000 + (i * 90_000L))).ToArray();
        byte[] valid = new byte[512];
        int written = RtcpTransportFeedback.Write(valid, 1, 2, 0, 0, 0, packets.Where(p => p.Received).ToArray());
        Assert.True(written > 0);
        for (int length = 0; length <= written; length++)
        {
            byte[] copy = valid.AsSpan(0, length).ToArray();
            if (copy.Length >= 4)
            {
                copy[3] = (byte)((length / 4) - 1); // lie consistently about the length
            }
            if (RtcpTransportFeedback.TryParse(copy, out var view))
            {
                view.TryRead(results, out _);
            }
        }
    }

    [Fact]
    public void WriteAndReadAllocateNothing()
    {
        Result[] packets = Enumerable.Range(0, 100).Where(i => i % 7 != 0)
            .Select(i => new Result((ushort)(65_500 + i), true, 1_000_000 + (i * 1300L) - (i % 11 == 0 ? 90_000 : 0))).ToArray();
        byte[] buffer = new byte[1024];
        var results = new Result[128];
        void Body()
        {
            int written = RtcpTransportFeedback.Write(buffer, 1, 2, 65_500, 15, 3, packets);
            RtcpTransportFeedback.TryParse(buffer.AsSpan(0, written), out var view);
            view.TryRead(results, out _);
        }
        for (int i = 0; i < 2_000; i++)
        {
            Body();
        }
        long allocated = AllocationMeter.Measure(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                Body();
            }
        });
        Assert.Equal(0, allocated);
    }
}
