namespace MediaRelay.Dtls;

/// <summary>Tuning for a <see cref="DtlsSession"/>; the defaults suit WebRTC peers.</summary>
public sealed class DtlsSessionOptions
{
    /// <summary>Whole-handshake deadline, including the wait for the first ClientHello.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// SRTP protection profiles in preference order (IANA ids, see <see cref="DtlsSrtpProfile"/>). As client we
    /// offer them in this order; as server we pick the first of ours the client offered (RFC 5764 §4.1.1).
    /// </summary>
    public IReadOnlyList<ushort> SrtpProfiles { get; init; } = [DtlsSrtpProfile.AeadAes128Gcm, DtlsSrtpProfile.Aes128CmHmacSha1_80];

    /// <summary>Largest DTLS datagram we send (bytes of UDP payload); handshake messages are fragmented to fit.</summary>
    public int Mtu { get; init; } = 1200;

    /// <summary>Inbound datagrams buffered between the UDP thread and the session thread; more are dropped.</summary>
    public int InboundQueueCapacity { get; init; } = 64;

    /// <summary>
    /// Test hook: extra ClientHello extensions (type → body) the client role adds, e.g. to imitate a
    /// DTLS 1.3-capable browser (supported_versions, a large key_share).
    /// </summary>
    internal IReadOnlyDictionary<int, byte[]>? ExtraClientExtensions { get; init; }
}
