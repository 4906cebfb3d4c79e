using MediaRelay.Rtp;
using MediaRelay.Sfu;

namespace MediaRelay.Server.Media;

/// <summary>
/// An immutable snapshot of what one peer publishes and subscribes to, swapped whole by the control plane and
/// read lock-free by the media loop. Rooms are small (≤ 16 peers × a few tracks), so linear scans beat hashing.
/// </summary>
internal sealed class PeerMediaTable
{
    public static readonly PeerMediaTable Empty = new([], [], PeerExtensions.None);

    public PeerMediaTable(Producer[] producers, Consumer[] consumers, PeerExtensions extensions)
    {
        Producers = producers;
        Consumers = consumers;
        Extensions = extensions;
    }

    public Producer[] Producers { get; }
    public Consumer[] Consumers { get; }
    public PeerExtensions Extensions { get; }

    public int MidExtensionId => Extensions.Mid;
    public int RidExtensionId => Extensions.Rid;
    public int AudioLevelExtensionId => Extensions.AudioLevel;
    public int TransportCcExtensionId => Extensions.TransportCc;
    public int PlayoutDelayExtensionId => Extensions.PlayoutDelay;

    /// <summary>
    /// The producer and layer an inbound packet belongs to, and whether it is on the layer's RTX stream
    /// (<paramref name="repair"/>, RFC 4588): by SSRC; else by the MID header extension (and, for simulcast, the RID
    /// or, on RTX, the repaired RID extension), binding the SSRC for the packets that follow without extensions.
    /// </summary>
    public Producer? FindProducer(RtpPacket rtp, out int layer, out bool repair)
    {
        uint ssrc = rtp.Ssrc;
        layer = 0;
        repair = false;
        if (ssrc == 0)
        {
            return null; // 0 marks a layer whose SSRC is not learned yet; no browser sends it
        }
        Producer[] producers = Producers;
        for (int i = 0; i < producers.Length; i++)
        {
            IReadOnlyList<ProducerLayer> layers = producers[i].Layers;
            for (int l = 0; l < layers.Count; l++)
            {
                if (layers[l].Ssrc == ssrc || layers[l].RtxSsrc == ssrc)
                {
                    layer = l;
                    repair = layers[l].Ssrc != ssrc;
                    return producers[i];
                }
            }
        }
        if (MidExtensionId == 0 || !rtp.TryGetExtension(MidExtensionId, out ReadOnlySpan<byte> mid))
        {
            return null;
        }
        for (int i = 0; i < producers.Length; i++)
        {
            Producer p = producers[i];
            if (!AsciiEquals(mid, p.Mid))
            {
                continue;
            }
            repair = p.RtxPayloadType != 0 && rtp.PayloadType == p.RtxPayloadType;
            int ridId = repair ? Extensions.RepairedRid : RidExtensionId;
            ReadOnlySpan<byte> rid = default;
            bool hasRid = ridId != 0 && rtp.TryGetExtension(ridId, out rid);
            IReadOnlyList<ProducerLayer> layers = p.Layers;
            for (int l = 0; l < layers.Count; l++)
            {
                ProducerLayer candidate = layers[l];
                bool matches = candidate.Rid is null ? !p.IsSimulcast : hasRid && AsciiEquals(rid, candidate.Rid);
                if (!matches || (repair ? candidate.RtxSsrc : candidate.Ssrc) != 0)
                {
                    continue;
                }
                if (repair)
                {
                    p.BindRtxSsrc(l, ssrc);
                }
                else
                {
                    p.BindSsrc(l, ssrc);
                }
                layer = l;
                return p;
            }
            return null; // our MID, but an unknown or repeated RID: refuse rather than guess
        }
        return null;
    }

    /// <summary>The layer of one of this peer's producers that uses <paramref name="ssrc"/>, or null.</summary>
    public ProducerLayer? FindLayer(uint ssrc) => FindLayer(ssrc, out _);

    /// <summary>The layer that uses <paramref name="ssrc"/> and the producer it belongs to, or null.</summary>
    public ProducerLayer? FindLayer(uint ssrc, out Producer? producer)
    {
        producer = null;
        if (ssrc == 0)
        {
            return null;
        }
        Producer[] producers = Producers;
        for (int i = 0; i < producers.Length; i++)
        {
            IReadOnlyList<ProducerLayer> layers = producers[i].Layers;
            for (int l = 0; l < layers.Count; l++)
            {
                if (layers[l].Ssrc == ssrc)
                {
                    producer = producers[i];
                    return layers[l];
                }
            }
        }
        return null;
    }

    public Consumer? FindConsumer(uint ssrc)
    {
        Consumer[] consumers = Consumers;
        for (int i = 0; i < consumers.Length; i++)
        {
            if (consumers[i].Ssrc == ssrc)
            {
                return consumers[i];
            }
        }
        return null;
    }

    public Producer? FindProducerByMid(string mid) => Array.Find(Producers, p => p.Mid == mid);

    public Consumer? FindConsumerByProducer(string producerId) => Array.Find(Consumers, c => c.Producer.Id == producerId);

    public PeerMediaTable WithProducer(Producer p) => new([.. Producers, p], Consumers, Extensions);

    public PeerMediaTable WithoutProducer(Producer p) => new(Array.FindAll(Producers, x => x != p), Consumers, Extensions);

    public PeerMediaTable WithConsumer(Consumer c) => new(Producers, [.. Consumers, c], Extensions);

    public PeerMediaTable WithoutConsumer(Consumer c) => new(Producers, Array.FindAll(Consumers, x => x != c), Extensions);

    public PeerMediaTable WithExtensions(PeerExtensions extensions) => new(Producers, Consumers, extensions);

    private static bool AsciiEquals(ReadOnlySpan<byte> bytes, string text)
    {
        if (bytes.Length != text.Length)
        {
            return false;
        }
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != text[i])
            {
                return false;
            }
        }
        return true;
    }
}
