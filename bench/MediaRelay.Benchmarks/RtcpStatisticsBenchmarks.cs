using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using MediaRelay.Rtp.Rtcp;
using MediaRelay.Sfu.Rtcp;

namespace MediaRelay.Benchmarks;

/// <summary>Per-packet receive/send accounting and per-report SR/RR writing of the SFU's RTCP building blocks (expected 0 B).</summary>
[MemoryDiagnoser]
public class RtcpStatisticsBenchmarks
{
    private static readonly byte[] Cname = Encoding.ASCII.GetBytes("mediarelay-sfu");
    private readonly RtpReceiveStatistics _receive = new();
    private readonly RtpSendStatistics _send = new();
    private readonly byte[] _buffer = new byte[256];
    private readonly RtcpReportBlock[] _blocks = new RtcpReportBlock[1];
    private readonly long _tick = Stopwatch.Frequency / 1000;
    private long _now = 1_000 * Stopwatch.Frequency;
    private ushort _sequence;
    private uint _timestamp;

    [GlobalSetup]
    public void Setup()
    {
        _receive.OnSenderReport(0x1234_5678_9ABC_DEF0, _now);
        _send.OnPacketSent(0, 1000, _now);
    }

    [Benchmark]
    public bool ReceiveOnPacket()
    {
        _now += _tick;
        _timestamp += 90;
        return _receive.OnPacket(_sequence++, _timestamp, 90000, _now);
    }

    [Benchmark]
    public void SendOnPacketSent()
    {
        _now += _tick;
        _timestamp += 90;
        _send.OnPacketSent(_timestamp, 1100, _now);
    }

    [Benchmark]
    public int ReceiverReport()
    {
        _blocks[0] = _receive.BuildReportBlock(0x1111, _now);
        return RtcpReportWriter.WriteReceiverReport(_buffer, 0x5F0, _blocks, Cname);
    }

    [Benchmark]
    public int SenderReport() => _send.WriteSenderReport(_buffer, 0xCAFE, 0xE000_0000_0000_0000, _now, 90000, Cname);
}
