using MediaRelay.Core;
using MediaRelay.Rtp.Rtcp;
using MediaRelay.Sfu.Nack;

namespace MediaRelay.Sfu.Tests.Nack;

/// <summary>
/// The three blocks together as the lead will wire them: a subscriber's generator detects losses, the NACK crosses
/// the wire (RtcpNack.Write / TryParse), the SFU maps output to input numbers, looks them up in the producer's cache
/// and lets the responder decide.
/// </summary>
public class NackRoundTripTests
{
    private static long Ms(long ms) => TestMedia.T0 + TestMedia.Milliseconds(ms);

    [Fact]
    public void LostPacketsAreRequestedAndServedFromTheCache()
    {
        const ushort Offset = 1000; // consumer rewrite: output = input - 1000
        var pool = new PacketPool(256, preallocate: 0);
        var cache = new RetransmissionCache(TimeSpan.FromMilliseconds(600));
        var generator = new NackGenerator();
        var responder = new NackResponder();
        responder.SetRtt(TimeSpan.FromMilliseconds(200));

        // Producer input 65500..65599 (wraps), all cached; the subscriber loses outputs for inputs 65530 and 3..5.
        for (int i = 0; i < 100; i++)
        {
            ushort input = (ushort)(65500 + i);
            PooledPacket p = pool.Rent();
            p.Buffer[0] = (byte)input;
            p.Length = 1;
            cache.Store(p, input, Ms(i));
            p.Release();
            bool lost = input == 65530 || input is >= 3 and <= 5;
            if (!lost)
            {
                generator.OnPacket((ushort)(input - Offset), Ms(i));
            }
        }

        Span<ushort> due = stackalloc ushort[64];
        int n = generator.CollectDue(Ms(120), TimeSpan.FromMilliseconds(200), due);
        Assert.Equal(4, n);
        Span<byte> wire = stackalloc byte[RtcpNack.GetMaxLength(n)];
        int length = RtcpNack.Write(wire, 0x11, 0x22, due[..n]);
        Assert.True(length > 0);

        Assert.True(RtcpNack.TryParse(wire[..length], out RtcpNack nack));
        responder.BeginNack();
        var served = new List<byte>();
        foreach (ushort output in nack)
        {
            ushort input = (ushort)(output + Offset);
            if (cache.TryGet(input, Ms(121), out PooledPacket packet) && responder.ShouldResend(output, Ms(121)))
            {
                served.Add(packet.Buffer[0]);
                generator.OnPacket(output, Ms(220)); // the retransmission reaches the subscriber
            }
        }

        Assert.Equal(new byte[] { unchecked((byte)65530), 3, 4, 5 }, served);
        Assert.Equal(4, generator.Recovered);
        Assert.Equal(0, generator.MissingCount);
        cache.Clear();
        Assert.Equal(0, pool.Outstanding);
    }
}
