using MediaRelay.Core;
using MediaRelay.Rtp;
using MediaRelay.Sfu.Recording;

namespace MediaRelay.Recording.Capture;

/// <summary>
/// A recorder's tap on one producer: the packets of one layer (the top simulcast layer, or the only one) are
/// retained and queued for the writer thread with their arrival time; sender reports of that layer too. It never
/// blocks the media loop: when the queue is full the packet is released at once and counted as dropped.
/// </summary>
public sealed class ProducerTap(TapQueue queue, int track, int layer) : IRtpTap
{
    private long _queued;
    private long _dropped;

    public int Track => track;

    public int Layer => layer;

    public long Queued => Interlocked.Read(ref _queued);

    public long Dropped => Interlocked.Read(ref _dropped);

    public void OnRtp(PooledPacket owner, RtpPacket packet, int layerIndex, long timestamp)
    {
        if (layerIndex != layer)
        {
            return;
        }
        owner.Retain();
        if (queue.TryEnqueue(TapItem.ForPacket(track, owner, packet.Length, timestamp)))
        {
            Interlocked.Increment(ref _queued);
        }
        else
        {
            owner.Release();
            Interlocked.Increment(ref _dropped);
        }
    }

    public void OnSenderReport(int layerIndex, ulong ntpTimestamp, uint rtpTimestamp, long timestamp)
    {
        if (layerIndex == layer && !queue.TryEnqueue(TapItem.ForSenderReport(track, ntpTimestamp, rtpTimestamp, timestamp)))
        {
            Interlocked.Increment(ref _dropped);
        }
    }
}
