using System.Diagnostics;
using MediaRelay.Rtp;

namespace MediaRelay.Sfu;

/// <summary>
/// One published track arriving at the server: the source end of the fan-out. Runs on the media loop that owns the
/// publisher's transport; control-plane threads only add/remove consumers (copy-on-write) and raise flags.
/// </summary>
public sealed class Producer
{
    private static readonly long KeyFrameThrottleTicks = Stopwatch.Frequency / 2; // RFC 4585 §3.4 spirit: 500 ms

    private readonly object _writeLock = new();
    private readonly IPublisherFeedback _feedback;
    private Consumer[] _consumers = [];
    private int _keyFrameWanted;
    private long _lastKeyFrameRequest = long.MinValue / 2;
    private long _packets;
    private long _bytes;
    private long _keyFrameRequestsSent;
    private long _keyFrameRequestsThrottled;

    public Producer(string id, string participantId, MediaKind kind, TrackSource source, string mid, RtpCodec codec,
        uint ssrc, IPublisherFeedback feedback)
    {
        Id = id;
        ParticipantId = participantId;
        Kind = kind;
        Source = source;
        Mid = mid;
        Codec = codec;
        Ssrc = ssrc;
        KeyFrameFormat = kind == MediaKind.Video ? KeyFrameDetector.FormatOf(codec) : KeyFrameFormat.None;
        _feedback = feedback;
    }

    public string Id { get; }
    public string ParticipantId { get; }
    public MediaKind Kind { get; }
    public TrackSource Source { get; }
    public string Mid { get; }

    /// <summary>The codec with the publisher's payload type.</summary>
    public RtpCodec Codec { get; }

    /// <summary>The publisher's media SSRC (0 until learned from the first packet carrying our MID).</summary>
    public uint Ssrc { get; internal set; }

    public KeyFrameFormat KeyFrameFormat { get; }
    public bool IsClosed { get; private set; }
    public long PacketsReceived => Interlocked.Read(ref _packets);
    public long BytesReceived => Interlocked.Read(ref _bytes);
    public long KeyFrameRequestsSent => Interlocked.Read(ref _keyFrameRequestsSent);
    public long KeyFrameRequestsThrottled => Interlocked.Read(ref _keyFrameRequestsThrottled);
    public IReadOnlyList<Consumer> Consumers => Volatile.Read(ref _consumers);

    /// <summary>Binds the SSRC the publisher actually uses (learned from RTP with the MID extension).</summary>
    public void BindSsrc(uint ssrc) => Ssrc = ssrc;

    /// <summary>
    /// Forwards one decrypted packet to every consumer. Synchronous, allocation-free; the packet is borrowed.
    /// </summary>
    public void OnRtp(RtpPacket packet, long timestamp)
    {
        _packets++;
        _bytes += packet.PayloadLength;
        Consumer[] consumers = Volatile.Read(ref _consumers);
        for (int i = 0; i < consumers.Length; i++)
        {
            consumers[i].Forward(packet);
        }

        if (Volatile.Read(ref _keyFrameWanted) != 0)
        {
            FlushKeyFrameRequest(timestamp);
        }
    }

    /// <summary>
    /// Asks for a keyframe from any thread. The request is sent from the media loop with the next packet, at most
    /// once per 500 ms; requests in between are merged and counted.
    /// </summary>
    public void RequestKeyFrame()
    {
        if (Kind != MediaKind.Video)
        {
            return;
        }
        if (Interlocked.Exchange(ref _keyFrameWanted, 1) != 0)
        {
            Interlocked.Increment(ref _keyFrameRequestsThrottled);
        }
    }

    /// <summary>Sends a pending keyframe request now if the throttle allows (media loop only).</summary>
    public void FlushKeyFrameRequest(long timestamp)
    {
        if (Volatile.Read(ref _keyFrameWanted) == 0 || timestamp - _lastKeyFrameRequest < KeyFrameThrottleTicks
            || Ssrc == 0)
        {
            return;
        }
        _lastKeyFrameRequest = timestamp;
        Volatile.Write(ref _keyFrameWanted, 0);
        _keyFrameRequestsSent++;
        _feedback.SendPictureLossIndication(Ssrc);
    }

    internal void AddConsumer(Consumer consumer)
    {
        lock (_writeLock)
        {
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
            Consumer[] old = _consumers;
            Volatile.Write(ref _consumers, []);
            return old;
        }
    }
}
