using MediaRelay.Rtp;
using MediaRelay.Sfu;

namespace MediaRelay.Server.Media;

/// <summary>
/// An immutable snapshot of what one peer publishes and subscribes to, swapped whole by the control plane and
/// read lock-free by the media loop. Rooms are small (≤ 16 peers × a few tracks), so linear scans beat hashing.
/// </summary>
internal sealed class PeerMediaTable
{
    public static readonly PeerMediaTable Empty = new([], [], 0);

    public PeerMediaTable(Producer[] producers, Consumer[] consumers, int midExtensionId)
    {
        Producers = producers;
        Consumers = consumers;
        MidExtensionId = midExtensionId;
    }

    public Producer[] Producers { get; }
    public Consumer[] Consumers { get; }

    /// <summary>The id this peer negotiated for urn:ietf:params:rtp-hdrext:sdes:mid (RFC 8843 §15), 0 if none.</summary>
    public int MidExtensionId { get; }

    /// <summary>The producer an inbound packet belongs to: by SSRC, else by the MID header extension (binding the SSRC).</summary>
    public Producer? FindProducer(RtpPacket rtp)
    {
        uint ssrc = rtp.Ssrc;
        Producer[] producers = Producers;
        for (int i = 0; i < producers.Length; i++)
        {
            if (producers[i].Ssrc == ssrc)
            {
                return producers[i];
            }
        }
        if (MidExtensionId == 0 || !rtp.TryGetExtension(MidExtensionId, out ReadOnlySpan<byte> mid))
        {
            return null;
        }
        for (int i = 0; i < producers.Length; i++)
        {
            Producer p = producers[i];
            if (p.Ssrc == 0 && AsciiEquals(mid, p.Mid))
            {
                p.BindSsrc(ssrc);
                return p;
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

    public PeerMediaTable WithProducer(Producer p) => new([.. Producers, p], Consumers, MidExtensionId);

    public PeerMediaTable WithoutProducer(Producer p) => new(Array.FindAll(Producers, x => x != p), Consumers, MidExtensionId);

    public PeerMediaTable WithConsumer(Consumer c) => new(Producers, [.. Consumers, c], MidExtensionId);

    public PeerMediaTable WithoutConsumer(Consumer c) => new(Producers, Array.FindAll(Consumers, x => x != c), MidExtensionId);

    public PeerMediaTable WithMidExtension(int id) => new(Producers, Consumers, id);

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
