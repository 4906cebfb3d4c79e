using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using MediaRelay.Rtp;
using MediaRelay.Server.Diagnostics;
using MediaRelay.Sfu;

namespace MediaRelay.Benchmarks;

/// <summary>
/// The SFU fan-out per received packet: parse the 1200-byte VP8 packet, then every consumer rewrites SSRC, payload
/// type, sequence and timestamp into its own send buffer, copies the payload and calls its egress (a no-op here, so
/// SRTP and the socket are left out). One invocation is one forwarded packet; expected allocation 0 B.
/// <see cref="ForwardCounted"/> adds what the server counts on that path: the received datagram, every sent datagram
/// and its bytes, and each copy's forward latency into the Prometheus histogram; also 0 B.
/// </summary>
[MemoryDiagnoser]
public class RouterFanOutBenchmarks
{
    private readonly byte[] _packet = new byte[1200];
    private Producer _producer = null!;
    private long _time;

    [Params(1, 4, 15)]
    public int Consumers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var codec = new RtpCodec(96, "VP8", 90000, 0, null);
        var router = new Router();
        _producer = new Producer("video", "alice", MediaKind.Video, TrackSource.Camera, "1", codec, 0x11223344,
            new NoOpPublisherFeedback());
        router.AddProducer(_producer);
        var egress = new CountingEgress();
        for (int i = 0; i < Consumers; i++)
        {
            router.CreateConsumer(_producer, $"c{i}", $"s{i}", egress, 0x1000u + (uint)i, 100, (ushort)(i * 1000), 0);
        }

        // A VP8 key frame first so every consumer is in sync, then the benchmark forwards inter frames.
        int header = RtpHeaderWriter.Write(_packet, true, 96, 1000, 90000, 0x11223344);
        _packet.AsSpan(header).Fill(0x5A);
        _packet[header] = 0x90;     // VP8 descriptor: X=1, S=1, PID=0
        _packet[header + 1] = 0x80; // I: PictureID present
        _packet[header + 2] = 0x81; // 15-bit PictureID
        _packet[header + 3] = 0x23;
        _packet[header + 4] = 0x10; // VP8 payload header, P=0: key frame
        _time = Stopwatch.GetTimestamp();
        Forward();
        _packet[header + 4] = 0x11; // P=1: inter frame
    }

    [Benchmark]
    public long Forward()
    {
        if (!RtpPacket.TryParse(_packet, out RtpPacket packet))
        {
            return -1;
        }
        packet.SequenceNumber++;
        packet.Timestamp += 3000;
        _time += Stopwatch.Frequency / 1000;
        _producer.OnRtp(packet, _time);
        return _producer.PacketsReceived;
    }

    [Benchmark]
    public long ForwardCounted()
    {
        MediaMetrics.PacketReceived(_packet.Length);
        IngressClock.Current = Stopwatch.GetTimestamp();
        _counting = true;
        long received = Forward();
        _counting = false;
        IngressClock.Current = 0;
        return received;
    }

    [ThreadStatic]
    private static bool _counting;

    /// <summary>Sends nowhere; while <see cref="ForwardCounted"/> runs it counts each copy as WebRtcPeer does.</summary>
    private sealed class CountingEgress : IRtpEgress
    {
        public bool SendRtp(byte[] buffer, int length)
        {
            if (_counting)
            {
                MediaMetrics.PacketForwarded();
                MediaMetrics.DatagramSent(length + 10); // + the SRTP tag
                ForwardLatency.OnSent();
            }
            return true;
        }

        public bool SendRtcp(byte[] buffer, int length) => true;
    }

    private sealed class NoOpPublisherFeedback : IPublisherFeedback
    {
        public void SendPictureLossIndication(uint mediaSsrc)
        {
        }

        public void SendNack(uint mediaSsrc, ReadOnlySpan<ushort> sequences)
        {
        }
    }
}
