using MediaRelay.Core;
using MediaRelay.Rtp;

namespace MediaRelay.Sfu;

/// <summary>
/// One subscriber's copy of a producer. Rewrites SSRC, payload type, sequence number and timestamp into its own
/// send buffer (never into the shared plaintext) and hands that buffer to the subscriber's transport
/// (ARCHITECTURE habit 4; RFC 3550 §7.2 translator rules: a fresh SSRC and a continuous sequence space).
/// </summary>
public sealed class Consumer
{
    /// <summary>Room left in the send buffer for the SRTP/SRTCP trailer (tag + index).</summary>
    public const int ProtectionHeadroom = 32;

    private readonly IRtpEgress _egress;
    private readonly byte[] _sendBuffer = GC.AllocateUninitializedArray<byte>(PacketPool.DefaultBufferSize, pinned: true);
    private bool _syncRequired = true;
    private bool _started;
    private ushort _seqOffset;
    private uint _timestampOffset;
    private ushort _lastSequence;
    private uint _lastTimestamp;
    private SequenceUnwrapper _inputSequence;
    private long _syncInputSequence = long.MinValue;
    private long _packetsSent;
    private long _bytesSent;
    private long _packetsDropped;

    public Consumer(string id, Producer producer, string subscriberId, IRtpEgress egress, uint ssrc, byte payloadType,
        ushort initialSequence, uint initialTimestamp)
    {
        Id = id;
        Producer = producer;
        SubscriberId = subscriberId;
        Ssrc = ssrc;
        PayloadType = payloadType;
        _egress = egress;
        _lastSequence = (ushort)(initialSequence - 1);
        _lastTimestamp = initialTimestamp;
    }

    public string Id { get; }
    public Producer Producer { get; }
    public string SubscriberId { get; }

    /// <summary>The SSRC this consumer sends with (announced in the subscriber's SDP).</summary>
    public uint Ssrc { get; }

    /// <summary>The payload type the subscriber negotiated for the producer's codec.</summary>
    public byte PayloadType { get; }

    /// <summary>A paused consumer drops media and asks for a keyframe when resumed.</summary>
    public bool Paused { get; private set; }

    public bool IsClosed { get; internal set; }
    public long PacketsSent => Interlocked.Read(ref _packetsSent);
    public long BytesSent => Interlocked.Read(ref _bytesSent);
    public long PacketsDropped => Interlocked.Read(ref _packetsDropped);

    public void Pause() => Paused = true;

    public void Resume()
    {
        if (!Paused)
        {
            return;
        }
        _syncRequired = true;
        Paused = false;
        Producer.RequestKeyFrame();
    }

    /// <summary>The subscriber lost a picture: relay the request to the publisher (RFC 4585 §6.3.1).</summary>
    public void OnPictureLoss() => Producer.RequestKeyFrame();

    /// <summary>Rewrites and sends one packet. Media loop only; allocation-free; the packet is borrowed.</summary>
    internal void Forward(RtpPacket packet)
    {
        long inputSequence = _inputSequence.Unwrap(packet.SequenceNumber); // tracked even while paused
        if (Paused || IsClosed)
        {
            return;
        }
        Span<byte> payload = packet.Payload;
        if (payload.Length == 0)
        {
            return; // padding-only probes are the publisher's business, not the subscriber's
        }

        if (_syncRequired)
        {
            if (!Resync(packet, payload))
            {
                return;
            }
            _syncInputSequence = inputSequence;
        }
        else if (inputSequence < _syncInputSequence)
        {
            _packetsDropped++; // from before the sync point: its output number may have been used already
            return;
        }

        ushort sequence = (ushort)(packet.SequenceNumber + _seqOffset);
        uint timestamp = packet.Timestamp + _timestampOffset;
        int headerLength = RtpHeaderWriter.Write(_sendBuffer, packet.Marker, PayloadType, sequence, timestamp, Ssrc);
        int length = headerLength + payload.Length;
        if (length + ProtectionHeadroom > _sendBuffer.Length)
        {
            _packetsDropped++;
            return;
        }
        payload.CopyTo(_sendBuffer.AsSpan(headerLength));

        if (SequenceNumber.IsNewer(sequence, _lastSequence))
        {
            _lastSequence = sequence;
            _lastTimestamp = timestamp;
        }
        if (_egress.SendRtp(_sendBuffer, length))
        {
            _packetsSent++;
            _bytesSent += length;
        }
        else
        {
            _packetsDropped++;
        }
    }

    /// <summary>
    /// Waits for a sync point (a keyframe for video) and re-bases the output so sequence numbers continue from the
    /// last one sent and timestamps keep moving forward.
    /// </summary>
    private bool Resync(RtpPacket packet, ReadOnlySpan<byte> payload)
    {
        if (!KeyFrameDetector.IsKeyFrame(Producer.KeyFrameFormat, payload))
        {
            _packetsDropped++;
            Producer.RequestKeyFrame();
            return false;
        }
        _seqOffset = (ushort)(_lastSequence + 1 - packet.SequenceNumber);
        // Keep the timestamp strictly ahead of the last one sent; one tick is enough for the receiver's jitter
        // estimator to see a new frame, the real gap is restored by the next frames' own deltas.
        uint target = _started ? _lastTimestamp + 1 : _lastTimestamp;
        _timestampOffset = target - packet.Timestamp;
        _started = true;
        _syncRequired = false;
        return true;
    }
}
