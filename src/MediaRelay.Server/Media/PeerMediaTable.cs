using MediaRelay.Rtp;
using MediaRelay.Sfu;

namespace MediaRelay.Server.Media;

/// <summary>
/// An immutable snapshot of what one peer publishes and subscribes to, swapped whole by the control plane and
/// read lock-free by the media loop. Rooms are small (≤ 16 peers × a few tracks), so linear scans beat hashing.
/// </summary>
internal sealed class PeerMediaTable
{
    public static readonly PeerMediaTable Empty = new([], [], 0, 0, 0, 0, 0);

    public PeerMediaTable(Producer[] producers, Consumer[] consumers, int midExtensionId, int ridExtensionId,
        int audioLevelExtensionId, int transportCcExtensionId, int playoutDelayExtensionId)
    {
        PlayoutDelayExtensionId = playoutDelayExtensionId;
        TransportCcExtensionId = transportCcExtensionId;
        Producers = producers;
        Consumers = consumers;
        MidExtensionId = midExtensionId;
        RidExtensionId = ridExtensionId;
        AudioLevelExtensionId = audioLevelExtensionId;
    }

    public Producer[] Producers { get; }
    public Consumer[] Consumers { get; }

    /// <summary>The id this peer negotiated for urn:ietf:params:rtp-hdrext:sdes:mid (RFC 8843 §15), 0 if none.</summary>
    public int MidExtensionId { get; }

    /// <summary>The id negotiated for urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id (RFC 8852 §3.3), 0 if none.</summary>
    public int RidExtensionId { get; }

    /// <summary>The id negotiated for urn:ietf:params:rtp-hdrext:ssrc-audio-level (RFC 6464 §4), 0 if none.</summary>
    public int AudioLevelExtensionId { get; }

    /// <summary>
    /// The id of the transport-wide sequence number extension (draft-holmer-rmcat-transport-wide-cc-extensions-01
    /// §2), 0 if transport-cc was not negotiated: read on what the peer publishes, written on what it receives.
    /// </summary>
    public int TransportCcExtensionId { get; }

    /// <summary>The id of the playout-delay extension on what the peer receives (video), 0 if not negotiated.</summary>
    public int PlayoutDelayExtensionId { get; }

    /// <summary>
    /// The producer and layer an inbound packet belongs to: by SSRC; else by the MID header extension (and, for
    /// simulcast, the RID extension), binding the SSRC for the packets that follow without extensions.
    /// </summary>
    public Producer? FindProducer(RtpPacket rtp, out int layer)
    {
        uint ssrc = rtp.Ssrc;
        layer = 0;
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
                if (layers[l].Ssrc == ssrc)
                {
                    layer = l;
                    return producers[i];
                }
            }
        }
        if (MidExtensionId == 0 || !rtp.TryGetExtension(MidExtensionId, out ReadOnlySpan<byte> mid))
        {
            return null;
        }
        ReadOnlySpan<byte> rid = default;
        bool hasRid = RidExtensionId != 0 && rtp.TryGetExtension(RidExtensionId, out rid);
        for (int i = 0; i < producers.Length; i++)
        {
            Producer p = producers[i];
            if (!AsciiEquals(mid, p.Mid))
            {
                continue;
            }
            IReadOnlyList<ProducerLayer> layers = p.Layers;
            for (int l = 0; l < layers.Count; l++)
            {
                ProducerLayer candidate = layers[l];
                bool matches = candidate.Rid is null ? !p.IsSimulcast : hasRid && AsciiEquals(rid, candidate.Rid);
                if (matches && candidate.Ssrc == 0)
                {
                    p.BindSsrc(l, ssrc);
                    layer = l;
                    return p;
                }
            }
            return null; // our MID, but an unknown or repeated RID: refuse rather than guess
        }
        return null;
    }

    /// <summary>The layer of one of this peer's producers that uses <paramref name="ssrc"/>, or null.</summary>
    public ProducerLayer? FindLayer(uint ssrc)
    {
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

    public PeerMediaTable WithProducer(Producer p) => new([.. Producers, p], Consumers, MidExtensionId, RidExtensionId, AudioLevelExtensionId, TransportCcExtensionId, PlayoutDelayExtensionId);

    public PeerMediaTable WithoutProducer(Producer p) => new(Array.FindAll(Producers, x => x != p), Consumers, MidExtensionId, RidExtensionId, AudioLevelExtensionId, TransportCcExtensionId, PlayoutDelayExtensionId);

    public PeerMediaTable WithConsumer(Consumer c) => new(Producers, [.. Consumers, c], MidExtensionId, RidExtensionId, AudioLevelExtensionId, TransportCcExtensionId, PlayoutDelayExtensionId);

    public PeerMediaTable WithoutConsumer(Consumer c) => new(Producers, Array.FindAll(Consumers, x => x != c), MidExtensionId, RidExtensionId, AudioLevelExtensionId, TransportCcExtensionId, PlayoutDelayExtensionId);

    public PeerMediaTable WithExtensions(int midId, int ridId, int audioLevelId, int transportCcId, int playoutDelayId) =>
        new(Producers, Consumers, midId, ridId, audioLevelId, transportCcId, playoutDelayId);

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
