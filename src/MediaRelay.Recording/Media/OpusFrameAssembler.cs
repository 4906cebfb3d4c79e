using MediaRelay.Rtp;
using MediaRelay.Rtp.Codecs;

namespace MediaRelay.Recording.Media;

/// <summary>
/// Opus frames from RTP (RFC 7587 §4.2, https://www.rfc-editor.org/rfc/rfc7587#section-4.2): one RTP payload is
/// one Opus packet, timestamped at 48 kHz. When the publisher sent RED (RFC 2198 §3) the packets with
/// <c>redPayloadType</c> are unwrapped: the primary block is the frame, and a redundant block whose timestamp
/// (RTP timestamp minus its offset) is newer than the last frame emitted fills in a frame that was lost.
/// Every Opus frame is independently decodable, so each is flagged as a keyframe. Timestamps only move forward;
/// a gap (lost packets, DTX) stays a gap here, and the finalizer fills it with Opus silence
/// (<see cref="OpusGapFill"/>).
/// </summary>
public sealed class OpusFrameAssembler : IFrameAssembler
{
    private readonly FrameRing _ring = new(1500);
    private readonly int _redPayloadType;
    private RtpTimestampUnwrapper _timestamps;
    private long _lastSequence = long.MinValue;
    private long _lastTimestamp = long.MinValue;

    /// <param name="redPayloadType">The negotiated RED payload type (e.g. 63), or -1 when RED is not used.</param>
    public OpusFrameAssembler(int redPayloadType = -1) => _redPayloadType = redPayloadType;

    public long FramesEmitted { get; private set; }

    public long FramesDropped { get; private set; }

    /// <summary>Frames recovered from RED redundancy after a loss.</summary>
    public long FramesRecovered { get; private set; }

    /// <summary>RED payloads that did not parse.</summary>
    public long PacketsInvalid { get; private set; }

    public void Push(RtpPacket packet, long sequence, long arrivalMicroseconds)
    {
        if (_lastSequence != long.MinValue && sequence <= _lastSequence)
        {
            return;
        }
        _lastSequence = sequence;
        ReadOnlySpan<byte> payload = packet.Payload;
        if (payload.IsEmpty)
        {
            return;
        }
        long timestamp = _timestamps.Unwrap(packet.Timestamp);

        if (packet.PayloadType != _redPayloadType)
        {
            Emit(payload, timestamp, arrivalMicroseconds);
            return;
        }

        if (!RedPayload.TryParse(payload, out RedPayload red))
        {
            PacketsInvalid++;
            FramesDropped++;
            return;
        }
        foreach (RedBlock block in red)
        {
            if (block.IsPrimary)
            {
                Emit(block.Data, timestamp, arrivalMicroseconds);
            }
            else if (!block.Data.IsEmpty && timestamp - block.TimestampOffset > _lastTimestamp && block.TimestampOffset > 0)
            {
                // Oldest redundant block first, so recovered frames come out in timestamp order.
                if (Emit(block.Data, timestamp - block.TimestampOffset, arrivalMicroseconds))
                {
                    FramesRecovered++;
                }
            }
        }
    }

    public bool TryTakeFrame(out EncodedFrame frame) => _ring.TryTake(out frame);

    public void Flush()
    {
    }

    private bool Emit(ReadOnlySpan<byte> data, long timestamp, long arrivalMicroseconds)
    {
        if (data.IsEmpty || timestamp <= _lastTimestamp)
        {
            FramesDropped++;
            return false;
        }
        _ring.Reset();
        _ring.Append(data);
        _ring.Commit(timestamp, true, 0, 0, arrivalMicroseconds);
        _lastTimestamp = timestamp;
        FramesEmitted++;
        return true;
    }
}
