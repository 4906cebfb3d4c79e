using BenchmarkDotNet.Attributes;
using MediaRelay.Rtp.Rtcp;
using MediaRelay.Sfu.Bwe;

namespace MediaRelay.Benchmarks;

/// <summary>
/// Transport-wide congestion control per feedback interval of 100 packets (expected 0 B): the publisher side
/// recording arrivals and writing one feedback packet, parsing it, and the subscriber side's estimator taking the
/// sends and the decoded feedback (plus one padding decision).
/// </summary>
[MemoryDiagnoser]
public class TransportFeedbackBenchmarks
{
    private const int PacketsPerFeedback = 100;
    private const long PacketSpacingMicros = 4_800; // 2 Mbps of 1200-byte packets

    private readonly TransportFeedbackRecorder _recorder = new();
    private readonly byte[] _wire = new byte[TransportFeedbackRecorder.MaxFeedbackLength];
    private readonly byte[] _scratch = new byte[TransportFeedbackRecorder.MaxFeedbackLength];
    private readonly RtcpTransportFeedback.PacketResult[] _decoded = new RtcpTransportFeedback.PacketResult[TransportFeedbackRecorder.WindowSize];
    private readonly RtcpTransportFeedback.PacketResult[] _results = new RtcpTransportFeedback.PacketResult[PacketsPerFeedback];
    private readonly SendSideBandwidthEstimator _estimator = new();
    private int _feedbackLength;
    private ushort _recorderSequence;
    private ushort _estimatorSequence;
    private long _recorderNow = 1_000_000;
    private long _estimatorNow = 1_000_000;

    [GlobalSetup]
    public void Setup()
    {
        var recorder = new TransportFeedbackRecorder();
        for (int i = 0; i < PacketsPerFeedback; i++)
        {
            if (i % 17 != 5) // a few losses, so status vectors and runs both appear
            {
                recorder.OnPacket((ushort)i, 1_000_000 + (i * PacketSpacingMicros) + (i % 3 * 250));
            }
        }
        _feedbackLength = recorder.WriteFeedback(_wire, 1, 2);
    }

    /// <summary>Receiver: 100 × OnPacket, then WriteFeedback.</summary>
    [Benchmark]
    public int RecordAndWriteFeedback()
    {
        for (int i = 0; i < PacketsPerFeedback; i++)
        {
            _recorderNow += PacketSpacingMicros;
            ushort sequence = _recorderSequence++;
            if (sequence % 17 != 5)
            {
                _recorder.OnPacket(sequence, _recorderNow);
            }
        }
        return _recorder.WriteFeedback(_scratch, 1, 2);
    }

    /// <summary>Sender: TryParse + TryRead of one 100-packet feedback.</summary>
    [Benchmark]
    public int ParseFeedback()
    {
        if (!RtcpTransportFeedback.TryParse(_wire.AsSpan(0, _feedbackLength), out var feedback)
            || !feedback.TryRead(_decoded, out int count))
        {
            return -1;
        }
        return count;
    }

    /// <summary>Sender: 100 × OnPacketSent, OnFeedback for them, and one PaddingBitsPerSecond.</summary>
    [Benchmark]
    public long EstimatorSendAndFeedback()
    {
        for (int i = 0; i < PacketsPerFeedback; i++)
        {
            _estimatorNow += PacketSpacingMicros;
            ushort sequence = _estimatorSequence++;
            _estimator.OnPacketSent(sequence, 1200, _estimatorNow);
            _results[i] = new RtcpTransportFeedback.PacketResult(sequence, sequence % 17 != 5, _estimatorNow + 20_000 + (i % 3 * 250));
        }
        _estimator.OnFeedback(_results, _estimatorNow + 40_000);
        return _estimator.PaddingBitsPerSecond(500_000, 5_000_000, _estimatorNow + 40_000);
    }
}
