using MediaRelay.Rtp;
using MediaRelay.Rtp.Codecs;

namespace MediaRelay.Recording.Media;

/// <summary>
/// Reassembles VP8 frames from RTP (RFC 7741 §4, https://www.rfc-editor.org/rfc/rfc7741#section-4): every packet
/// starts with the payload descriptor (§4.2); the packet with S=1 and PID=0 starts a frame, all packets of a frame
/// share one RTP timestamp, and the marker bit ends it (§4.1). The frame bytes are the concatenated payloads after
/// the descriptors. A frame missing any packet is dropped and so is everything after it until the next keyframe
/// (P bit clear in the VP8 payload header, RFC 7741 §4.3); the stream also starts at a keyframe. Width and height
/// come from the keyframe header (RFC 6386 §9.1) via <see cref="Vp8KeyframeHeader"/>.
/// Padding-only packets (empty payload) keep the sequence continuous and are skipped.
/// </summary>
public sealed class Vp8FrameAssembler : IFrameAssembler
{
    private enum State
    {
        Idle,
        Building,
        Skipping,
    }

    private readonly FrameRing _ring;
    private RtpTimestampUnwrapper _timestamps;
    private State _state;
    private long _lastSequence = long.MinValue;
    private long _frameTimestamp;
    private bool _frameKeyframe;
    private long _frameArrival;
    private bool _waitingForKeyframe = true;
    private int _width;
    private int _height;

    public Vp8FrameAssembler(int initialFrameCapacity = 64 * 1024) => _ring = new FrameRing(initialFrameCapacity);

    public long FramesEmitted { get; private set; }

    public long FramesDropped { get; private set; }

    /// <summary>Packets whose payload descriptor did not parse.</summary>
    public long PacketsInvalid { get; private set; }

    /// <summary>True until a keyframe arrives (at the start and after any loss).</summary>
    public bool WaitingForKeyframe => _waitingForKeyframe;

    public void Push(RtpPacket packet, long sequence, long arrivalMicroseconds)
    {
        if (_lastSequence != long.MinValue && sequence <= _lastSequence)
        {
            return; // not in order: the reorder buffer never does this
        }
        bool gap = _lastSequence != long.MinValue && sequence != _lastSequence + 1;
        _lastSequence = sequence;
        if (gap)
        {
            // Whatever was lost belonged to this frame or to frames we never saw: later deltas may reference it.
            DropFrame();
            _waitingForKeyframe = true;
        }

        ReadOnlySpan<byte> payload = packet.Payload;
        if (payload.IsEmpty)
        {
            return;
        }
        long timestamp = _timestamps.Unwrap(packet.Timestamp);

        if (_state == State.Building && timestamp != _frameTimestamp)
        {
            // The sender did not set the marker bit, but nothing is missing: the frame is whole.
            Commit();
        }
        else if (_state == State.Skipping && timestamp != _frameTimestamp)
        {
            _state = State.Idle;
        }

        if (!Vp8PayloadDescriptor.TryParse(payload, out Vp8PayloadDescriptor descriptor))
        {
            PacketsInvalid++;
            DropFrame();
            _waitingForKeyframe = true;
            return;
        }

        if (descriptor.StartOfPartition && descriptor.PartitionIndex == 0)
        {
            if (_state == State.Building)
            {
                DropFrame(); // a second frame start with the same timestamp: malformed
                _waitingForKeyframe = true;
            }
            bool keyframe = descriptor.Length < payload.Length && (payload[descriptor.Length] & 0x01) == 0;
            if (_waitingForKeyframe && !keyframe)
            {
                FramesDropped++;
                _state = State.Skipping;
                _frameTimestamp = timestamp;
            }
            else
            {
                if (keyframe && Vp8KeyframeHeader.TryReadSize(payload, out int width, out int height))
                {
                    _width = width;
                    _height = height;
                }
                _waitingForKeyframe = false;
                _state = State.Building;
                _frameTimestamp = timestamp;
                _frameKeyframe = keyframe;
                _ring.Reset();
            }
        }
        else if (_state != State.Building)
        {
            if (_state == State.Idle)
            {
                _waitingForKeyframe = true; // a continuation whose start we never saw
            }
            return;
        }

        if (_state == State.Building)
        {
            _ring.Append(payload[descriptor.Length..]);
            _frameArrival = arrivalMicroseconds;
            if (packet.Marker)
            {
                Commit();
            }
        }
        else if (packet.Marker)
        {
            _state = State.Idle;
        }
    }

    public bool TryTakeFrame(out EncodedFrame frame) => _ring.TryTake(out frame);

    public void Flush() => DropFrame();

    private void Commit()
    {
        if (_ring.BuildingLength == 0)
        {
            DropFrame();
            return;
        }
        _ring.Commit(_frameTimestamp, _frameKeyframe, _width, _height, _frameArrival);
        _state = State.Idle;
        FramesEmitted++;
    }

    private void DropFrame()
    {
        if (_state == State.Building)
        {
            FramesDropped++;
            _ring.Reset();
        }
        _state = State.Idle;
    }
}
