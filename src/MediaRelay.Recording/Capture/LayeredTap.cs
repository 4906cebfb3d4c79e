using MediaRelay.Core;
using MediaRelay.Rtp;
using MediaRelay.Sfu.Recording;

namespace MediaRelay.Recording.Capture;

/// <summary>
/// A recorder's tap on a simulcast producer (RFC 8853: each layer is its own RTP stream with its own SSRC, sequence
/// numbers and sender reports): hands each layer's packets and sender reports to that layer's
/// <see cref="ProducerTap"/>, so every layer gets its own journal and the finalizer can take, at any moment, the best
/// layer the publisher was sending. Media loop; no allocation.
/// </summary>
public sealed class LayeredTap(IReadOnlyList<ProducerTap> layers) : IRtpTap
{
    private readonly ProducerTap?[] _byLayer = Index(layers);

    public void OnRtp(PooledPacket owner, RtpPacket packet, int layer, long timestamp)
    {
        if ((uint)layer < (uint)_byLayer.Length)
        {
            _byLayer[layer]?.OnRtp(owner, packet, layer, timestamp);
        }
    }

    public void OnSenderReport(int layer, ulong ntpTimestamp, uint rtpTimestamp, long timestamp)
    {
        if ((uint)layer < (uint)_byLayer.Length)
        {
            _byLayer[layer]?.OnSenderReport(layer, ntpTimestamp, rtpTimestamp, timestamp);
        }
    }

    private static ProducerTap?[] Index(IReadOnlyList<ProducerTap> layers)
    {
        var byLayer = new ProducerTap?[layers.Count == 0 ? 0 : layers.Max(t => t.Layer) + 1];
        foreach (ProducerTap tap in layers)
        {
            byLayer[tap.Layer] = tap;
        }
        return byLayer;
    }
}
