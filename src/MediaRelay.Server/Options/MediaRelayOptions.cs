namespace MediaRelay.Server.Options;

/// <summary>Configuration root, bound from the "MediaRelay" section (environment: MediaRelay__Media__Port=…).</summary>
public sealed class MediaRelayOptions
{
    public const string SectionName = "MediaRelay";

    /// <summary>Where the embedded state lives (dev signing key; later the SQLite catalog).</summary>
    public string DataDirectory { get; set; } = "data";

    public MediaOptions Media { get; set; } = new();
    public AuthOptions Auth { get; set; } = new();
    public RoomOptions Rooms { get; set; } = new();
    public RecordingOptions Recording { get; set; } = new();
}

public sealed class MediaOptions
{
    /// <summary>The one UDP port every peer's ICE, DTLS and SRTP share (RFC 7983 demultiplexing).</summary>
    public int Port { get; set; } = 40000;

    /// <summary>Address the UDP socket binds to.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The host candidate address announced in SDP (the public address behind NAT, or a relay's address).
    /// Defaults to the bind address.
    /// </summary>
    public string? AnnouncedAddress { get; set; }

    /// <summary>Port announced with the candidate; defaults to <see cref="Port"/> (set when a relay forwards).</summary>
    public int? AnnouncedPort { get; set; }

    /// <summary>RFC 7675 §5.1: a peer whose consent is not refreshed for this long is dropped.</summary>
    public TimeSpan ConsentTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A peer that has not completed ICE and DTLS within this time after its offer is dropped.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most a publisher may send (bits/s, all its tracks), announced by REMB; its own congestion control works
    /// below it. Bounds what one participant can push into a room.
    /// </summary>
    public long MaxIncomingBitrate { get; set; } = 2_500_000;

    /// <summary>Start rate (bits/s) suggested to simulcast publishers so their upper layers come on at once.</summary>
    public long SimulcastStartBitrate { get; set; } = 1_200_000;

    /// <summary>
    /// Bandwidth (bits/s) a subscriber's path is assumed to have until its transport-wide feedback says otherwise;
    /// the estimate then follows the path (down on congestion, up by probing).
    /// </summary>
    public long InitialSubscriberBitrate { get; set; } = 2_000_000;

    /// <summary>Upper bound of pooled packet buffers (bounds memory under floods).</summary>
    public int PacketPoolSize { get; set; } = 65536; // ≈ 100 MB at most; retransmission caches hold part of it

    /// <summary>Video codecs accepted from publishers, most preferred first (one per room keeps everyone decoding).</summary>
    public List<string> VideoCodecs { get; set; } = ["VP8", "H264"];
}

public sealed class AuthOptions
{
    /// <summary>Base64 HMAC-SHA256 key for join tokens. When empty a key is generated and kept in the data directory.</summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// Development convenience: a loopback client opening /room/{id}?name=N without a token is given one. On by
    /// default in the Development environment only.
    /// </summary>
    public bool? DevelopmentTokens { get; set; }

    /// <summary>Bearer key for POST /api/rooms/{id}/tokens. When empty only loopback callers in development mode may mint.</summary>
    public string? ApiKey { get; set; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(4);

    /// <summary>
    /// Bearer token Prometheus must send to scrape GET /metrics (its <c>authorization: credentials_file</c>). When
    /// empty /metrics is open: reach it only over a private network or through a proxy that guards the path.
    /// </summary>
    public string? MetricsToken { get; set; }
}

public sealed class RoomOptions
{
    public int MaxParticipants { get; set; } = 16;
}

public sealed class RecordingOptions
{
    /// <summary>Where journals and finished files go; default "recordings" under <see cref="MediaRelayOptions.DataDirectory"/>.</summary>
    public string? Directory { get; set; }

    /// <summary>
    /// The at-rest key (32 bytes, base64). Without one, development generates and keeps one under the data directory;
    /// production records unencrypted and says so at start-up.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>Generate a key file when none is configured (default: in development).</summary>
    public bool? DevelopmentKey { get; set; }

    /// <summary>Start recording a room by itself once every participant in it has consented.</summary>
    public bool AutoRecord { get; set; }

    /// <summary>Packets waiting for a recording's writer thread before new ones are dropped (and an alarm raised).</summary>
    public int QueueCapacity { get; set; } = 16384;
}
