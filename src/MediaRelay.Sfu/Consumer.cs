using System.Diagnostics;
using MediaRelay.Core;
using MediaRelay.Rtp;
using MediaRelay.Rtp.Codecs;
using MediaRelay.Rtp.Rtcp;
using MediaRelay.Sfu.Nack;
using MediaRelay.Sfu.Pacing;
using MediaRelay.Sfu.Rtcp;

namespace MediaRelay.Sfu;

/// <summary>
/// One subscriber's copy of a producer. Picks the layer that fits the subscriber (simulcast), switches only on a
/// keyframe of the new layer, and rewrites SSRC, payload type, sequence number and timestamp into its own send
/// buffer — never into the shared plaintext — so the subscriber sees one continuous stream
/// (ARCHITECTURE habit 4; RFC 3550 §7.2 translator rules: a fresh SSRC and a continuous sequence space).
/// </summary>
public sealed class Consumer
{
    /// <summary>Room left in the send buffer for the SRTP/SRTCP trailer (tag + index).</summary>
    public const int ProtectionHeadroom = 32;

    private static readonly long KeyFrameRetryTicks = Stopwatch.Frequency;

    private readonly IRtpEgress _egress;
    private readonly ConsumerPacketWriter _writer;
    private readonly byte[] _sendBuffer;
    private readonly PacketPriority _priority;
    private readonly SequenceUnwrapper[] _inputSequences;
    private readonly IReadOnlyList<ProducerLayer> _layers;
    private readonly int _clockRate;
    private int _currentLayer = -1;
    private int _requestedLayer = -1;
    private long _requestedAt;
    private int _preferredWidth;
    private int _maxLayer = int.MaxValue;
    private int _playoutDelay;
    private long _lastNackAt;
    private bool _syncRequired = true;
    private bool _started;
    private ushort _seqOffset;
    private uint _timestampOffset;
    private ushort _lastSequence;
    private uint _lastTimestamp;
    private long _lastSentArrival;
    private long _syncInputSequence = long.MinValue;
    private long _packetsSent;
    private long _bytesSent;
    private long _packetsDropped;
    private long _layerSwitches;
    private ushort _syncOutputSequence;
    private long _retransmitted;
    private long _retransmissionMisses;
    private readonly NackResponder _nackResponder = new();

    public Consumer(string id, Producer producer, string subscriberId, IRtpEgress egress, uint ssrc, byte payloadType,
        ushort initialSequence, uint initialTimestamp, byte redPayloadType = 0, uint rtxSsrc = 0, byte rtxPayloadType = 0)
    {
        Id = id;
        Producer = producer;
        SubscriberId = subscriberId;
        _egress = egress;
        _writer = new ConsumerPacketWriter(producer, ssrc, payloadType, redPayloadType, rtxSsrc,
            producer.Kind == MediaKind.Video ? rtxPayloadType : (byte)0);
        _sendBuffer = _writer.Buffer;
        _priority = producer.Kind == MediaKind.Audio ? PacketPriority.Audio : PacketPriority.Video;
        _layers = producer.Layers;
        _inputSequences = new SequenceUnwrapper[_layers.Count];
        _clockRate = Math.Max(1, producer.Codec.ClockRate);
        _lastSequence = (ushort)(initialSequence - 1);
        _lastTimestamp = initialTimestamp;
    }

    public string Id { get; }
    public Producer Producer { get; }
    public string SubscriberId { get; }

    /// <summary>The SSRC this consumer sends with (announced in the subscriber's SDP).</summary>
    public uint Ssrc => _writer.Ssrc;

    /// <summary>The payload type the subscriber negotiated for the producer's codec.</summary>
    public byte PayloadType => _writer.PayloadType;

    /// <summary>
    /// The subscriber's payload type for RFC 2198 redundant audio (0: it does not take RED, so the producer's RED
    /// packets are unwrapped to their primary frame).
    /// </summary>
    public byte RedPayloadType => _writer.RedPayloadType;

    /// <summary>The RTX stream's SSRC (RFC 4588 §8.6 FID group), 0 when the subscriber did not negotiate RTX.</summary>
    public uint RtxSsrc => _writer.RtxSsrc;

    /// <summary>The subscriber's rtx payload type for this codec; 0: retransmissions go on the media SSRC.</summary>
    public byte RtxPayloadType => _writer.RtxPayloadType;

    /// <summary>
    /// The highest layer the subscriber's bandwidth allows (set by its allocator); the consumer forwards
    /// min(this, the layer its tile wants). <see cref="int.MaxValue"/>: no limit.
    /// </summary>
    public int MaxLayer => Volatile.Read(ref _maxLayer);

    /// <summary>The layer being forwarded, -1 before the first sync point.</summary>
    public int CurrentLayer => Volatile.Read(ref _currentLayer);

    /// <summary>A paused consumer drops media and asks for a keyframe when resumed.</summary>
    public bool Paused { get; private set; }

    public bool IsClosed { get; internal set; }
    public long PacketsSent => Interlocked.Read(ref _packetsSent);
    public long BytesSent => Interlocked.Read(ref _bytesSent);
    public long PacketsDropped => Interlocked.Read(ref _packetsDropped);
    public long LayerSwitches => Interlocked.Read(ref _layerSwitches);

    /// <summary>Packets resent because the subscriber reported them lost (RFC 4585 §6.2.1).</summary>
    public long Retransmitted => Interlocked.Read(ref _retransmitted);

    /// <summary>NACKed packets no longer (or never) in the retransmission cache.</summary>
    public long RetransmissionMisses => Interlocked.Read(ref _retransmissionMisses);

    /// <summary>What this consumer sent, for its sender reports and round-trip time (RFC 3550 §6.4.1).</summary>
    public RtpSendStatistics SendStatistics { get; } = new();

    public int ClockRate => _clockRate;

    /// <summary>
    /// The width (device pixels) the subscriber shows this video at; the consumer picks the smallest active layer at
    /// least this wide, or the largest there is. 0 means "as large as available". Any thread.
    /// </summary>
    public void SetPreferredWidth(int width) => Volatile.Write(ref _preferredWidth, Math.Max(0, width));

    /// <summary>
    /// The minimum playout delay (ms) announced to the subscriber's receiver with each video packet (playout-delay
    /// extension, when negotiated); 0 leaves the receiver's jitter buffer to itself.
    /// </summary>
    public int PlayoutDelayMilliseconds => Volatile.Read(ref _playoutDelay);

    /// <summary>When the subscriber last reported a loss on this stream (Stopwatch ticks; 0: never).</summary>
    public long LastNackTimestamp => _lastNackAt;

    public void SetPlayoutDelay(int milliseconds) => Volatile.Write(ref _playoutDelay, Math.Max(0, milliseconds));

    private OutgoingExtensions Extensions => new(_egress.TransportCcExtensionId,
        _priority == PacketPriority.Video ? _egress.PlayoutDelayExtensionId : 0, Volatile.Read(ref _playoutDelay));

    /// <summary>Caps the layer this consumer may forward (bandwidth allocation; any thread).</summary>
    public void SetMaxLayer(int layer) => Volatile.Write(ref _maxLayer, Math.Max(0, layer));

    public void Pause() => Paused = true;

    public void Resume()
    {
        if (!Paused)
        {
            return;
        }
        _syncRequired = true;
        Paused = false;
        Producer.RequestKeyFrame(Math.Max(0, _currentLayer));
    }

    /// <summary>The subscriber lost a picture: ask the publisher for a keyframe of the layer it receives.</summary>
    public void OnPictureLoss() => Producer.RequestKeyFrame(Math.Max(0, Volatile.Read(ref _currentLayer)));

    /// <summary>Rewrites and sends one packet. Media loop only; allocation-free; the packet is borrowed.</summary>
    internal void Forward(RtpPacket packet, int layer, long timestamp)
    {
        long inputSequence = _inputSequences[layer].Unwrap(packet.SequenceNumber); // tracked even while paused
        if (Paused || IsClosed)
        {
            return;
        }
        Span<byte> payload = packet.Payload;
        if (payload.Length == 0)
        {
            // A publisher's padding probe takes a number in the media stream's sequence. Its bytes are the
            // publisher's business, but dropping it would leave a hole the subscriber reports lost and NACKs for
            // ever; a one-byte padding packet in its place keeps the numbering whole (RFC 3550 §5.1 P bit).
            if (!_syncRequired && layer == _currentLayer && inputSequence >= _syncInputSequence)
            {
                Send(packet, payload, timestamp);
            }
            return;
        }

        int target = _layers.Count == 1 ? 0 : ChooseLayer(timestamp);
        if (_syncRequired || layer != _currentLayer)
        {
            if (layer != target)
            {
                if (_syncRequired || target != _currentLayer)
                {
                    AskForKeyFrame(target, timestamp); // a switch (or a start) waits for the target's key frame
                }
                return; // another layer, or the old one while we switch (it keeps flowing until then)
            }
            if (!KeyFrameDetector.IsKeyFrame(Producer.KeyFrameFormat, payload))
            {
                _packetsDropped++;
                AskForKeyFrame(target, timestamp);
                return;
            }
            Rebase(packet, timestamp);
            if (_currentLayer >= 0 && _currentLayer != layer)
            {
                _layerSwitches++;
            }
            Volatile.Write(ref _currentLayer, layer);
            _syncInputSequence = inputSequence;
            _requestedLayer = -1;
        }
        else if (inputSequence < _syncInputSequence)
        {
            _packetsDropped++; // from before the sync point: its output number may have been used already
            return;
        }
        else if (target != layer)
        {
            AskForKeyFrame(target, timestamp); // keep sending this layer until the target's keyframe arrives
        }

        Send(packet, payload, timestamp);
    }

    /// <summary>
    /// The subscriber lost some of what we sent: resend those still cached, rewritten exactly as the first time
    /// (plain retransmission on the media SSRC; RFC 4585 §6.2.1). Only packets of the current layer since its sync
    /// point map back to the publisher's numbers. Media loop only; allocation-free.
    /// </summary>
    public void OnNack(RtcpNack nack, long now)
    {
        int layer = _currentLayer;
        RetransmissionCache? cache = layer >= 0 ? _layers[layer].Retransmissions : null;
        if (cache is null || Paused || IsClosed)
        {
            return;
        }
        if (SendStatistics.HasRoundTrip)
        {
            _nackResponder.SetRtt(SendStatistics.LastRoundTrip);
        }
        _lastNackAt = now;
        _nackResponder.BeginNack();
        foreach (ushort output in nack)
        {
            if (SequenceNumber.Diff(output, _syncOutputSequence) < 0 || SequenceNumber.IsNewer(output, _lastSequence))
            {
                continue; // before the current layer's sync point, or never sent
            }
            ushort input = (ushort)(output - _seqOffset);
            if (!cache.TryGet(input, now, out PooledPacket original)
                || !RtpPacket.TryParse(original.Buffer.AsSpan(0, original.Length), out RtpPacket packet))
            {
                _retransmissionMisses++;
                continue;
            }
            if (!_nackResponder.ShouldResend(output, now))
            {
                continue;
            }
            OutgoingExtensions extensions = Extensions;
            uint timestamp = packet.Timestamp + _timestampOffset;
            int length = RtxPayloadType != 0
                ? _writer.WriteRetransmission(packet, output, timestamp, extensions)
                : _writer.WriteMedia(packet, packet.Payload, output, timestamp, extensions);
            if (length > 0 && _egress.SendRtp(_sendBuffer, length, PacketPriority.Retransmission))
            {
                _retransmitted++;
            }
        }
    }

    /// <summary>
    /// Sends one padding-only packet of about <paramref name="bytes"/> on the RTX stream to probe the subscriber's
    /// path (transport-cc counts it); returns the bytes handed to the transport, 0 when the consumer has no RTX
    /// stream or has not started. Media loop only.
    /// </summary>
    public int SendPadding(int bytes)
    {
        if (RtxPayloadType == 0 || !_started || Paused || IsClosed)
        {
            return 0;
        }
        int length = _writer.WritePadding(bytes, _lastTimestamp, Extensions);
        return length > 0 && _egress.SendRtp(_sendBuffer, length, PacketPriority.Padding) ? length : 0;
    }

    private void Send(RtpPacket packet, ReadOnlySpan<byte> payload, long timestamp)
    {
        ushort sequence = (ushort)(packet.SequenceNumber + _seqOffset);
        uint rtpTimestamp = packet.Timestamp + _timestampOffset;
        OutgoingExtensions extensions = Extensions;
        int length = payload.IsEmpty
            ? _writer.WriteSequencePadding(sequence, rtpTimestamp, extensions)
            : _writer.WriteMedia(packet, payload, sequence, rtpTimestamp, extensions);
        if (length == 0)
        {
            _packetsDropped++;
            return;
        }

        if (SequenceNumber.IsNewer(sequence, _lastSequence))
        {
            _lastSequence = sequence;
            _lastTimestamp = rtpTimestamp;
            _lastSentArrival = timestamp;
        }
        if (_egress.SendRtp(_sendBuffer, length, _priority))
        {
            SendStatistics.OnPacketSent(rtpTimestamp, payload.Length, timestamp);
            _packetsSent++;
            _bytesSent += length;
        }
        else
        {
            _packetsDropped++;
        }
    }

    /// <summary>
    /// The layer the subscriber's tile wants, before any bandwidth limit: the smallest active one at least as wide as
    /// the tile; else the largest active one; else the highest (nothing has arrived yet). Media loop.
    /// </summary>
    public int WantedLayer(long now)
    {
        int wanted = Volatile.Read(ref _preferredWidth);
        int highestActive = -1;
        for (int i = 0; i < _layers.Count; i++)
        {
            ProducerLayer l = _layers[i];
            if (!l.IsActive(now))
            {
                continue;
            }
            if (wanted > 0 && l.Width >= wanted)
            {
                return i;
            }
            highestActive = i;
        }
        return highestActive >= 0 ? highestActive : _layers.Count - 1;
    }

    /// <summary>The wanted layer within <see cref="MaxLayer"/>: the highest active layer at or below the cap, else
    /// the lowest active one above it (some video beats none).</summary>
    private int ChooseLayer(long now)
    {
        int wanted = WantedLayer(now);
        int cap = Volatile.Read(ref _maxLayer);
        if (wanted <= cap)
        {
            return wanted;
        }
        for (int i = Math.Min(cap, _layers.Count - 1); i >= 0; i--)
        {
            if (_layers[i].IsActive(now))
            {
                return i;
            }
        }
        for (int i = cap + 1; i < _layers.Count; i++)
        {
            if (_layers[i].IsActive(now))
            {
                return i;
            }
        }
        return Math.Min(cap, _layers.Count - 1);
    }

    private void AskForKeyFrame(int layer, long now)
    {
        if (_requestedLayer == layer && now - _requestedAt < KeyFrameRetryTicks)
        {
            return; // asked recently; the producer's throttle merges the rest
        }
        _requestedLayer = layer;
        _requestedAt = now;
        Producer.RequestKeyFrame(layer);
    }

    /// <summary>
    /// Re-bases the output on a sync point: sequence numbers continue from the last one sent; the timestamp
    /// advances by the wall-clock time since the last packet sent, so pacing survives a pause or a layer switch
    /// even though every layer has its own timestamp origin; VP8 picture numbers continue from the last picture.
    /// </summary>
    private void Rebase(RtpPacket packet, long timestamp)
    {
        _seqOffset = (ushort)(_lastSequence + 1 - packet.SequenceNumber);
        _syncOutputSequence = (ushort)(_lastSequence + 1);
        uint target = _lastTimestamp;
        if (_started)
        {
            long elapsed = Math.Max(0, timestamp - _lastSentArrival);
            target += (uint)Math.Max(1, elapsed * _clockRate / Stopwatch.Frequency);
        }
        _timestampOffset = target - packet.Timestamp;
        _writer.Rebase(packet.Payload); // VP8 picture numbers continue too
        _started = true;
        _syncRequired = false;
    }
}
