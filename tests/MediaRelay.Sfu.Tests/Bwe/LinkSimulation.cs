using MediaRelay.Rtp.Rtcp;
using MediaRelay.Sfu.Bwe;

namespace MediaRelay.Sfu.Tests.Bwe;

/// <summary>
/// Sender paced at the estimate → FIFO bottleneck (capacity, 20 ms one way, tail drop past 1 s of queue, random
/// loss) → receiver with <see cref="TransportFeedbackRecorder"/> (feedback every 100 ms, real wire bytes) →
/// estimator 20 ms later. 1 ms steps; the remote clock is offset by an arbitrary constant.
/// </summary>
internal sealed class LinkSimulation
{
    private const int PacketSize = 1200;
    private const long OneWayMicros = 20_000;
    private const long RemoteOffsetMicros = 123_456_789;
    private readonly Random _rng;
    private readonly Queue<(long At, ushort Seq, long Arrival)> _inFlight = new();
    private readonly Queue<(long At, RtcpTransportFeedback.PacketResult[] Results)> _feedback = new();
    private readonly TransportFeedbackRecorder _recorder = new();
    private readonly byte[] _wire = new byte[TransportFeedbackRecorder.MaxFeedbackLength];
    private readonly RtcpTransportFeedback.PacketResult[] _decoded = new RtcpTransportFeedback.PacketResult[70_000];
    private long _linkFree;
    private double _nextSend;
    private ushort _seq = 60_000; // wraps during the run
    private long _nextFeedback = 100_000;

    public LinkSimulation(SendSideBandwidthEstimator estimator, int seed = 1)
    {
        Estimator = estimator;
        _rng = new Random(seed);
    }

    public SendSideBandwidthEstimator Estimator { get; }

    public long CapacityBitsPerSecond { get; set; } = 2_000_000;

    public double LossRate { get; set; }

    public long Now { get; private set; }

    /// <summary>Runs until <paramref name="untilMicros"/>; calls <paramref name="onSecond"/> each simulated second.</summary>
    public void Run(long untilMicros, Action<long, long>? onSecond = null)
    {
        for (; Now < untilMicros; Now += 1000)
        {
            while (_nextSend <= Now)
            {
                Send();
                _nextSend += PacketSize * 8 * 1e6 / Estimator.EstimateBitsPerSecond;
            }
            while (_inFlight.Count > 0 && _inFlight.Peek().At <= Now)
            {
                var p = _inFlight.Dequeue();
                _recorder.OnPacket(p.Seq, p.Arrival + RemoteOffsetMicros);
            }
            if (Now >= _nextFeedback)
            {
                _nextFeedback += 100_000;
                int written = _recorder.WriteFeedback(_wire, 1, 2);
                if (written > 0)
                {
                    Assert.True(RtcpTransportFeedback.TryParse(_wire.AsSpan(0, written), out var view));
                    Assert.True(view.TryRead(_decoded, out int count));
                    _feedback.Enqueue((Now + OneWayMicros, _decoded.AsSpan(0, count).ToArray()));
                }
            }
            while (_feedback.Count > 0 && _feedback.Peek().At <= Now)
            {
                Estimator.OnFeedback(_feedback.Dequeue().Results, Now);
            }
            if (Now % 1_000_000 == 0)
            {
                onSecond?.Invoke(Now, Estimator.EstimateBitsPerSecond);
            }
        }
    }

    private void Send()
    {
        ushort seq = _seq++;
        Estimator.OnPacketSent(seq, PacketSize, Now);
        if (_rng.NextDouble() < LossRate || _linkFree - Now > 1_000_000)
        {
            return;
        }
        long departure = Math.Max(Now, _linkFree) + (PacketSize * 8 * 1_000_000L / CapacityBitsPerSecond);
        _linkFree = departure;
        _inFlight.Enqueue((departure + OneWayMicros, seq, departure + OneWayMicros));
    }
}
