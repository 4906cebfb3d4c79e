using MediaRelay.Rtp.Rtcp;
using MediaRelay.Sfu.Bwe;

namespace MediaRelay.Sfu.Tests.Bwe;

/// <summary>
/// Sender → FIFO bottleneck (capacity, 20 ms one way, tail drop past <see cref="QueueLimitMicros"/> of queue, random
/// loss) → receiver with <see cref="TransportFeedbackRecorder"/> (feedback every 100 ms, real wire bytes) →
/// estimator 20 ms later. 1 ms steps; the remote clock is offset by an arbitrary constant.
/// <para>Without <see cref="Layers"/> the sender is paced at the estimate. With them it is app-limited, like an SFU
/// forwarding simulcast: media is the largest layer ≤ 0.9 × estimate (else the lowest), plus the padding
/// <see cref="SendSideBandwidthEstimator.PaddingBitsPerSecond"/> asks for, with desired = the top layer.</para>
/// </summary>
internal sealed class LinkSimulation
{
    private const int PacketSize = 1200;
    private const double PacketBits = PacketSize * 8;
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
    private double _mediaCredit;
    private double _paddingCredit;
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

    public long QueueLimitMicros { get; set; } = 1_000_000;

    /// <summary>Simulcast layer rates, ascending; null for a sender paced at the estimate.</summary>
    public long[]? Layers { get; init; }

    public long Now { get; private set; }

    /// <summary>The layer rate being sent (app-limited mode).</summary>
    public long MediaBitsPerSecond { get; private set; }

    /// <summary>The padding rate last asked for (app-limited mode).</summary>
    public long PaddingBitsPerSecond { get; private set; }

    public long PacketsSent { get; private set; }

    public long PaddingPacketsSent { get; private set; }

    /// <summary>
    /// A receiver whose network thread stalls for <see cref="ReceiverStallMicros"/> every this often (0: never):
    /// packets arriving meanwhile are stamped together when it wakes, as a CPU-starved browser does.
    /// </summary>
    public long ReceiverStallEveryMicros { get; init; }

    public long ReceiverStallMicros { get; init; }

    /// <summary>Packets lost at random or dropped at the full queue.</summary>
    public long PacketsLost { get; private set; }

    /// <summary>Runs until <paramref name="untilMicros"/>; calls <paramref name="onSecond"/> each simulated second.</summary>
    public void Run(long untilMicros, Action<long, long>? onSecond = null)
    {
        for (; Now < untilMicros; Now += 1000)
        {
            if (Layers is null)
            {
                while (_nextSend <= Now)
                {
                    Send(padding: false);
                    _nextSend += PacketBits * 1e6 / Estimator.EstimateBitsPerSecond;
                }
            }
            else
            {
                SendAppLimited();
            }
            bool stalled = ReceiverStallEveryMicros > 0 && Now % ReceiverStallEveryMicros < ReceiverStallMicros;
            for (int backlog = 0; !stalled && _inFlight.Count > 0 && _inFlight.Peek().At <= Now; backlog++)
            {
                var p = _inFlight.Dequeue();
                long stamped = Math.Max(p.Arrival, Now - 1000 + (backlog * 10));
                _recorder.OnPacket(p.Seq, stamped + RemoteOffsetMicros);
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

    private void SendAppLimited()
    {
        long[] layers = Layers!;
        long estimate = Estimator.EstimateBitsPerSecond;
        long media = layers[0];
        for (int i = 1; i < layers.Length; i++)
        {
            if (layers[i] <= 0.9 * estimate)
            {
                media = layers[i];
            }
        }
        MediaBitsPerSecond = media;
        PaddingBitsPerSecond = Estimator.PaddingBitsPerSecond(media, layers[^1], Now);
        _mediaCredit += media / 1000.0;
        while (_mediaCredit >= PacketBits)
        {
            _mediaCredit -= PacketBits;
            Send(padding: false);
        }
        if (PaddingBitsPerSecond <= 0)
        {
            _paddingCredit = 0;
            return;
        }
        _paddingCredit += PaddingBitsPerSecond / 1000.0;
        while (_paddingCredit >= PacketBits)
        {
            _paddingCredit -= PacketBits;
            Send(padding: true);
        }
    }

    private void Send(bool padding)
    {
        ushort seq = _seq++;
        Estimator.OnPacketSent(seq, PacketSize, Now);
        PacketsSent++;
        if (padding)
        {
            PaddingPacketsSent++;
        }
        if (_rng.NextDouble() < LossRate || _linkFree - Now > QueueLimitMicros)
        {
            PacketsLost++;
            return;
        }
        long departure = Math.Max(Now, _linkFree) + (PacketSize * 8 * 1_000_000L / CapacityBitsPerSecond);
        _linkFree = departure;
        _inFlight.Enqueue((departure + OneWayMicros, seq, departure + OneWayMicros));
    }
}
