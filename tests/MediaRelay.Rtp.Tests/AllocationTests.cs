using MediaRelay.Rtp.Codecs;
using MediaRelay.Rtp.Rtcp;
using MediaRelay.Rtp.Tests.Rtcp;
using MediaRelay.Testing;

namespace MediaRelay.Rtp.Tests;

/// <summary>Hot paths allocate nothing: warm up, then measure ~10k iterations on this thread.</summary>
public class AllocationTests
{
    private const int Iterations = 10_000;

    [Fact]
    public void RtpParseAndExtensionLookupDoNotAllocate()
    {
        byte[] packet = new byte[1200];
        int n = RtpHeaderWriter.Write(packet, true, 96, 1, 2, 3);
        var ext = new RtpExtensionWriter(packet, n);
        ext.TryAdd(1, new byte[] { 0x85 });
        ext.TryAdd(3, new byte[] { 1, 2, 3 });
        ext.TryAdd(5, new byte[] { 0, 9 });
        ext.End();

        long sum = RunRtp(packet, 100);
        long allocated = AllocationMeter.Measure(() => sum += RunRtp(packet, Iterations));
        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
    }

    private static long RunRtp(byte[] packet, int iterations)
    {
        long sum = 0;
        for (int i = 0; i < iterations; i++)
        {
            if (RtpPacket.TryParse(packet, out var p) && p.TryGetExtension(5, out var tcc) && p.TryGetExtension(1, out var level))
            {
                p.SequenceNumber = (ushort)i;
                p.Ssrc = 7;
                sum += tcc[1] + AudioLevel.Parse(level[0]).Level + p.PayloadLength;
                sum += RtpPacket.LooksLikeRtcp(packet) ? 1 : 0;
                sum += Vp8PayloadDescriptor.IsKeyframe(p.Payload) ? 1 : 0;
                sum += H264Packetization.IsKeyframe(p.Payload) ? 1 : 0;
                sum += Vp9PayloadDescriptor.IsKeyframe(p.Payload) ? 1 : 0;
            }
        }
        return sum;
    }

    [Fact]
    public void WritersDoNotAllocate()
    {
        byte[] buf = new byte[1500];
        ushort[] lost = { 10, 11, 13, 40, 90 };
        uint[] ssrcs = { 1, 2 };
        RtcpReportBlock[] blocks = { new(1, 2, 3, 4, 5, 6, 7) };
        byte[] level = { 0x85 };

        long sum = RunWriters(buf, lost, ssrcs, blocks, level, 100);
        long allocated = AllocationMeter.Measure(() => sum += RunWriters(buf, lost, ssrcs, blocks, level, Iterations));
        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
    }

    private static long RunWriters(byte[] buf, ushort[] lost, uint[] ssrcs, RtcpReportBlock[] blocks, byte[] level, int iterations)
    {
        long sum = 0;
        Span<byte> span = buf;
        for (int i = 0; i < iterations; i++)
        {
            int n = RtpHeaderWriter.Write(span, false, 111, (ushort)i, (uint)i, 9);
            var ext = new RtpExtensionWriter(span, n);
            ext.TryAdd(1, level);
            sum += ext.End();
            int o = RtcpSenderReport.Write(span, 1, 2, 3, 4, 5, blocks);
            o += RtcpReceiverReport.Write(span.Slice(o), 1, blocks);
            o += RtcpSdes.WriteCname(span.Slice(o), 1, "relay@host");
            o += RtcpBye.Write(span.Slice(o), 1);
            o += RtcpPli.Write(span.Slice(o), 1, 2);
            o += RtcpFir.Write(span.Slice(o), 1, 2, (byte)i);
            o += RtcpNack.Write(span.Slice(o), 1, 2, lost);
            o += RtcpRemb.Write(span.Slice(o), 1, 1_000_000, ssrcs);
            sum += o + (long)(NtpTime.FromUnixMilliseconds(i) >> 32);
        }
        return sum;
    }

    [Fact]
    public void RtcpCompoundIterationDoesNotAllocate()
    {
        byte[] compound = RtcpCompoundReaderTests.BuildCompound();
        long sum = RunRtcp(compound, 100);
        long allocated = AllocationMeter.Measure(() => sum += RunRtcp(compound, Iterations));
        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
    }

    private static long RunRtcp(byte[] compound, int iterations)
    {
        long sum = 0;
        for (int i = 0; i < iterations; i++)
        {
            var reader = new RtcpCompoundReader(compound);
            while (reader.TryReadNext(out var p))
            {
                sum += p.Length;
                if (RtcpSenderReport.TryParse(p.Buffer, out var sr))
                {
                    sum += sr.GetReportBlock(0).CumulativeLost;
                }
                else if (RtcpNack.TryParse(p.Buffer, out var nack))
                {
                    nack.MediaSsrc = 5;
                    foreach (ushort seq in nack)
                    {
                        sum += seq;
                    }
                }
                else if (RtcpSdes.TryParse(p.Buffer, out var sdes) && sdes.TryGetCname(out _, out var cname))
                {
                    sum += cname.Length;
                }
            }
        }
        return sum;
    }
}
