using BenchmarkDotNet.Attributes;
using MediaRelay.Rtp;
using MediaRelay.Rtp.Codecs;
using MediaRelay.Rtp.Rtcp;

namespace MediaRelay.Benchmarks;

/// <summary>RTP/RTCP wire layer on the per-packet path; every method is expected to allocate 0 B.</summary>
[MemoryDiagnoser]
public class RtpBenchmarks
{
    private readonly byte[] _rtp = new byte[1200];
    private readonly byte[] _rtcp = new byte[256];
    private readonly byte[] _scratch = new byte[1500];
    private readonly ushort[] _lost = { 100, 101, 103, 130, 131 };
    private int _rtcpLength;

    [GlobalSetup]
    public void Setup()
    {
        // 1200-byte VP8 packet with audio-level-like, abs-send-time and transport-cc one-byte extensions.
        int n = RtpHeaderWriter.Write(_rtp, true, 96, 1000, 90000, 0x12345678);
        var ext = new RtpExtensionWriter(_rtp, n);
        ext.TryAdd(1, new byte[] { 0x85 });
        ext.TryAdd(3, new byte[] { 0x12, 0x34, 0x56 });
        ext.TryAdd(5, new byte[] { 0x00, 0x07 });
        int header = ext.End();
        _rtp[header] = 0x10;     // VP8 descriptor S=1 PID=0
        _rtp[header + 1] = 0x50; // key frame

        int o = RtcpSenderReport.Write(_rtcp, 1, NtpTime.FromUnixMilliseconds(1_700_000_000_000), 90000, 10, 12000,
            new[] { new RtcpReportBlock(2, 0, 0, 1000, 5, 0, 0) });
        o += RtcpSdes.WriteCname(_rtcp.AsSpan(o), 1, "relay@example");
        o += RtcpNack.Write(_rtcp.AsSpan(o), 1, 2, _lost);
        o += RtcpPli.Write(_rtcp.AsSpan(o), 1, 2);
        o += RtcpRemb.Write(_rtcp.AsSpan(o), 1, 1_500_000, new uint[] { 2 });
        _rtcpLength = o;
    }

    [Benchmark]
    public int ParseRtpAndFindExtension()
    {
        if (!RtpPacket.TryParse(_rtp, out var p) || !p.TryGetExtension(5, out var tcc))
        {
            return -1;
        }
        return tcc[1] + p.PayloadLength + p.SequenceNumber;
    }

    [Benchmark]
    public int ParseRtpRewriteAndDetectKeyframe()
    {
        if (!RtpPacket.TryParse(_rtp, out var p))
        {
            return -1;
        }
        p.Ssrc = 0xabcdef01;
        p.SequenceNumber++;
        return Vp8PayloadDescriptor.IsKeyframe(p.Payload) ? 1 : 0;
    }

    [Benchmark]
    public int WriteRtpHeaderWithExtension()
    {
        Span<byte> level = stackalloc byte[1] { 0x85 };
        int n = RtpHeaderWriter.Write(_scratch, false, 111, 7, 960, 42);
        var ext = new RtpExtensionWriter(_scratch, n);
        ext.TryAdd(1, level);
        return ext.End();
    }

    [Benchmark]
    public long IterateRtcpCompound()
    {
        long sum = 0;
        var reader = new RtcpCompoundReader(_rtcp.AsSpan(0, _rtcpLength));
        while (reader.TryReadNext(out var p))
        {
            switch (p.PacketType)
            {
                case RtcpPacketType.SenderReport when RtcpSenderReport.TryParse(p.Buffer, out var sr):
                    sum += sr.PacketCount;
                    break;
                case RtcpPacketType.TransportFeedback when RtcpNack.TryParse(p.Buffer, out var nack):
                    foreach (ushort seq in nack)
                    {
                        sum += seq;
                    }
                    break;
                case RtcpPacketType.PayloadFeedback when RtcpRemb.TryParse(p.Buffer, out var remb):
                    sum += (long)remb.Bitrate;
                    break;
                default:
                    sum += p.Length;
                    break;
            }
        }
        return sum;
    }

    [Benchmark]
    public int WriteNack() => RtcpNack.Write(_scratch, 1, 2, _lost);
}
