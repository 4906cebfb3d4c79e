using System.Diagnostics;
using MediaRelay.Core;
using MediaRelay.Rtp;
using MediaRelay.Rtp.Codecs;
using MediaRelay.Sfu.Recording;
using MediaRelay.Sfu.Speaker;

namespace MediaRelay.Sfu;

/// <summary>
/// One published track arriving at the server: the source end of the fan-out, with one or more layers (simulcast).
/// Runs on the media loop that owns the publisher's transport; control-plane threads only add/remove consumers
/// (copy-on-write) and raise keyframe flags.
/// </summary>
public sealed class Producer
{
    private static readonly long KeyFrameThrottleTicks = Stopwatch.Frequency / 2; // at most one request per 500 ms
    private IRtpTap? _tap;

    private readonly object _writeLock = new();
    private readonly IPublisherFeedback _feedback;
    private readonly ProducerLayer[] _layers;
    private Consumer[] _consumers = [];
    private ActiveSpeakerDetector? _speakers;
    private int _speakerSlot;
    private int _keyFrameWanted;
    private long _lastKeyFrameRequest = long.MinValue / 2;
    private long _keyFrameRequestsSent;
    private long _keyFrameRequestsThrottled;

    /// <summary>A plain (single-layer) producer.</summary>
    public Producer(string id, string participantId, MediaKind kind, TrackSource source, string mid, RtpCodec codec,
        uint ssrc, IPublisherFeedback feedback)
        : this(id, participantId, kind, source, mid, codec, [null], feedback)
    {
        _layers[0].Ssrc = ssrc;
    }

    /// <summary>A simulcast producer with one layer per rid, lowest resolution first.</summary>
    public Producer(string id, string participantId, MediaKind kind, TrackSource source, string mid, RtpCodec codec,
        IReadOnlyList<string?> rids, IPublisherFeedback feedback)
    {
        if (rids.Count is < 1 or > MaxLayers)
        {
            throw new ArgumentException($"A producer has 1 to {MaxLayers} layers.", nameof(rids));
        }
        Id = id;
        ParticipantId = participantId;
        Kind = kind;
        Source = source;
        Mid = mid;
        Codec = codec;
        KeyFrameFormat = kind == MediaKind.Video ? KeyFrameDetector.FormatOf(codec) : KeyFrameFormat.None;
        _feedback = feedback;
        _layers = new ProducerLayer[rids.Count];
        for (int i = 0; i < rids.Count; i++)
        {
            _layers[i] = new ProducerLayer(i, rids[i], 0, kind == MediaKind.Video);
        }
    }

    /// <summary>Simulcast layers accepted per producer (RFC 8853 allows more; browsers send at most 3).</summary>
    public const int MaxLayers = 3;

    public string Id { get; }
    public string ParticipantId { get; }
    public MediaKind Kind { get; }
    public TrackSource Source { get; }
    public string Mid { get; }

    /// <summary>The codec with the publisher's payload type.</summary>
    public RtpCodec Codec { get; }

    public IReadOnlyList<ProducerLayer> Layers => _layers;
    public bool IsSimulcast => _layers.Length > 1;

    /// <summary>The first layer's SSRC (the only one of a plain track).</summary>
    public uint Ssrc => _layers[0].Ssrc;

    public KeyFrameFormat KeyFrameFormat { get; }

    /// <summary>
    /// The publisher's payload type for RFC 2198 redundant audio wrapping <see cref="Codec"/> (0 when it sends plain
    /// frames). Packets with it carry earlier frames too, so a subscriber rides out single losses.
    /// </summary>
    public byte RedPayloadType { get; init; }

    /// <summary>
    /// The publisher's rtx payload type for this codec (RFC 4588 §8.6), 0 when not negotiated: its retransmissions
    /// and padding probes then arrive on per-layer RTX streams instead of in the media sequence.
    /// </summary>
    public byte RtxPayloadType { get; init; }
    public bool IsClosed { get; private set; }
    public long PacketsReceived
    {
        get
        {
            long sum = 0;
            foreach (ProducerLayer l in _layers)
            {
                sum += l.Packets;
            }
            return sum;
        }
    }

    public long BytesReceived
    {
        get
        {
            long sum = 0;
            foreach (ProducerLayer l in _layers)
            {
                sum += l.Bytes;
            }
            return sum;
        }
    }
    public long KeyFrameRequestsSent => Interlocked.Read(ref _keyFrameRequestsSent);

    /// <summary>The publisher's round-trip time as last given to <see cref="OnTick"/>.</summary>
    public TimeSpan RoundTrip { get; private set; }

    /// <summary>When the server last asked the publisher to resend something (Stopwatch ticks; 0: never).</summary>
    public long LastRepairTimestamp { get; private set; }
    public long KeyFrameRequestsThrottled => Interlocked.Read(ref _keyFrameRequestsThrottled);
    public IReadOnlyList<Consumer> Consumers => Volatile.Read(ref _consumers);

    /// <summary>Binds the SSRC the publisher uses for a plain track (learned from the MID extension).</summary>
    public void BindSsrc(uint ssrc) => _layers[0].Ssrc = ssrc;

    /// <summary>Binds a layer's SSRC (learned from the RID extension).</summary>
    public void BindSsrc(int layer, uint ssrc) => _layers[layer].Ssrc = ssrc;

    /// <summary>Learns the SSRC of the RTX stream repairing <paramref name="layer"/> (SDP FID group or RRID).</summary>
    public void BindRtxSsrc(int layer, uint ssrc) => _layers[layer].RtxSsrc = ssrc;

    /// <summary>Forwards one decrypted packet of a plain track.</summary>
    public void OnRtp(RtpPacket packet, long timestamp) => OnRtp(null, packet, 0, timestamp);

    /// <summary>Forwards one decrypted packet of <paramref name="layer"/> (no retransmission copy kept).</summary>
    public void OnRtp(RtpPacket packet, int layer, long timestamp) => OnRtp(null, packet, layer, timestamp);

    /// <summary>
    /// Forwards one decrypted packet of <paramref name="layer"/> to every consumer, unless it is a video packet seen
    /// before (see <see cref="ProducerLayer.DuplicatesDropped"/>). Synchronous, allocation-free; the packet is
    /// borrowed. When <paramref name="owner"/> (the pooled buffer holding the plaintext, its Length the plaintext
    /// length) is given, a video layer retains it for retransmissions.
    /// </summary>
    public void OnRtp(PooledPacket? owner, RtpPacket packet, int layer, long timestamp)
    {
        ProducerLayer l = _layers[layer];
        if (l.Nacks is not null)
        {
            if (!l.Nacks.OnPacket(packet.SequenceNumber, timestamp))
            {
                // A copy of a packet already forwarded (typically the publisher's RTX payload padding, which
                // re-sends recent packets to probe its uplink): the subscribers have it, and a second copy with the
                // same SRTP index would be discarded as a replay after taking a transport-wide sequence number,
                // which the subscriber's feedback then reports lost. It counted for our own feedback already.
                l.DuplicatesDropped++;
                return;
            }
            if (owner is not null)
            {
                l.Retransmissions!.Store(owner, packet.SequenceNumber, timestamp);
            }
        }
        IRtpTap? tap = Volatile.Read(ref _tap);
        if (tap is not null && owner is not null)
        {
            tap.OnRtp(owner, packet, layer, timestamp);
        }
        l.Packets++;
        l.Bytes += packet.PayloadLength;
        l.LastPacketTimestamp = timestamp;
        l.Statistics.OnPacket(packet.SequenceNumber, packet.Timestamp, Codec.ClockRate, timestamp);
        if (KeyFrameFormat == KeyFrameFormat.Vp8
            && Vp8KeyframeHeader.TryReadSize(packet.Payload, out int width, out int height))
        {
            l.Width = width;
            l.Height = height;
        }
        else if (KeyFrameFormat == KeyFrameFormat.H264
                 && H264Packetization.TryReadSpsSize(packet.Payload, out width, out height))
        {
            l.Width = width; // from the SPS ahead of each IDR
            l.Height = height;
        }

        Consumer[] consumers = Volatile.Read(ref _consumers);
        for (int i = 0; i < consumers.Length; i++)
        {
            consumers[i].Forward(packet, layer, timestamp);
        }

        if (Volatile.Read(ref _keyFrameWanted) != 0)
        {
            FlushKeyFrameRequest(timestamp);
        }
    }

    /// <summary>Attaches a tap (a recorder) that sees every packet before the fan-out; null detaches. Control plane.</summary>
    public void AttachTap(IRtpTap? tap) => Volatile.Write(ref _tap, tap);

    /// <summary>The tap attached, if any.</summary>
    public IRtpTap? Tap => Volatile.Read(ref _tap);

    /// <summary>A sender report from the publisher for one of its layers (media loop): passed on to the tap.</summary>
    public void OnSenderReport(int layer, ulong ntpTimestamp, uint rtpTimestamp, long timestamp) =>
        Volatile.Read(ref _tap)?.OnSenderReport(layer, ntpTimestamp, rtpTimestamp, timestamp);

    /// <summary>
    /// Routes this (audio) producer's RFC 6464 levels to a room's speaker detector under <paramref name="slot"/>
    /// (control plane; null detaches).
    /// </summary>
    public void AttachSpeakerDetector(ActiveSpeakerDetector? detector, int slot)
    {
        _speakerSlot = slot;
        Volatile.Write(ref _speakers, detector);
    }

    /// <summary>The audio level a packet of this producer carried (media loop).</summary>
    public void OnAudioLevel(AudioLevel level, long timestamp) =>
        Volatile.Read(ref _speakers)?.OnAudioLevel(_speakerSlot, level, timestamp);

    /// <summary>
    /// Media-loop timer: asks the publisher for what its leg lost (NACK, retried every round trip), or for a keyframe
    /// when too much is gone to repair; keeps retransmission copies about as long as a subscriber may still ask.
    /// </summary>
    public void OnTick(long now, TimeSpan roundTrip)
    {
        RoundTrip = roundTrip;
        Span<ushort> lost = stackalloc ushort[64];
        for (int i = 0; i < _layers.Length; i++)
        {
            ProducerLayer l = _layers[i];
            l.UpdateBitrate(now);
            if (l.Nacks is null || l.Ssrc == 0)
            {
                continue;
            }
            int count = l.Nacks.CollectDue(now, roundTrip, lost);
            if (count > 0)
            {
                _feedback.SendNack(l.Ssrc, lost[..count]);
                LastRepairTimestamp = now;
            }
            if (l.Nacks.KeyFrameNeeded)
            {
                l.Nacks.ClearKeyFrameNeeded();
                RequestKeyFrame(i);
            }
            l.Retransmissions!.SetMaxAge(TimeSpan.FromMilliseconds(Math.Clamp(roundTrip.TotalMilliseconds * 4, 300, 2000)));
        }
    }

    /// <summary>Asks for a keyframe on every layer (any thread).</summary>
    public void RequestKeyFrame()
    {
        for (int i = 0; i < _layers.Length; i++)
        {
            RequestKeyFrame(i);
        }
    }

    /// <summary>
    /// Asks for a keyframe on one layer from any thread. Requests are sent from the media loop with the next packet,
    /// at most once per 500 ms per producer; requests in between are merged and counted.
    /// </summary>
    public void RequestKeyFrame(int layer)
    {
        if (Kind != MediaKind.Video || (uint)layer >= (uint)_layers.Length)
        {
            return;
        }
        Interlocked.Exchange(ref _layers[layer].KeyFrameWanted, 1);
        if (Interlocked.Exchange(ref _keyFrameWanted, 1) != 0)
        {
            Interlocked.Increment(ref _keyFrameRequestsThrottled);
        }
    }

    /// <summary>Sends pending keyframe requests now if the throttle allows (media loop only).</summary>
    public void FlushKeyFrameRequest(long timestamp)
    {
        if (Volatile.Read(ref _keyFrameWanted) == 0 || timestamp - _lastKeyFrameRequest < KeyFrameThrottleTicks)
        {
            return;
        }
        // Clear first: a request raised while we scan sets the flag again and is not lost.
        Volatile.Write(ref _keyFrameWanted, 0);
        bool sent = false;
        bool pending = false;
        for (int i = 0; i < _layers.Length; i++)
        {
            ProducerLayer l = _layers[i];
            if (Volatile.Read(ref l.KeyFrameWanted) == 0)
            {
                continue;
            }
            if (l.Ssrc == 0)
            {
                pending = true; // not seen yet: ask once it is
                continue;
            }
            Volatile.Write(ref l.KeyFrameWanted, 0);
            _feedback.SendPictureLossIndication(l.Ssrc);
            sent = true;
        }
        if (sent)
        {
            _lastKeyFrameRequest = timestamp;
            _keyFrameRequestsSent++;
        }
        if (pending)
        {
            Volatile.Write(ref _keyFrameWanted, 1);
        }
    }

    internal void AddConsumer(Consumer consumer)
    {
        lock (_writeLock)
        {
            if (IsClosed)
            {
                throw new InvalidOperationException($"Producer {Id} is closed.");
            }
            var next = new Consumer[_consumers.Length + 1];
            Array.Copy(_consumers, next, _consumers.Length);
            next[^1] = consumer;
            Volatile.Write(ref _consumers, next);
        }
        RequestKeyFrame();
    }

    internal bool RemoveConsumer(Consumer consumer)
    {
        lock (_writeLock)
        {
            int index = Array.IndexOf(_consumers, consumer);
            if (index < 0)
            {
                return false;
            }
            var next = new Consumer[_consumers.Length - 1];
            Array.Copy(_consumers, 0, next, 0, index);
            Array.Copy(_consumers, index + 1, next, index, _consumers.Length - index - 1);
            Volatile.Write(ref _consumers, next);
            return true;
        }
    }

    internal Consumer[] Close()
    {
        lock (_writeLock)
        {
            IsClosed = true;
            ReleaseRetransmissionsLater();
            Consumer[] old = _consumers;
            Volatile.Write(ref _consumers, []);
            return old;
        }
    }

    /// <summary>
    /// Returns the retained buffers to the pool. The media loop may still be serving a retransmission from them, so
    /// this happens a little later, off the loop.
    /// </summary>
    private void ReleaseRetransmissionsLater()
    {
        ProducerLayer[] layers = _layers;
        _ = Task.Delay(TimeSpan.FromSeconds(2)).ContinueWith(_ =>
        {
            foreach (ProducerLayer l in layers)
            {
                l.Retransmissions?.Clear();
            }
        }, TaskScheduler.Default);
    }
}
