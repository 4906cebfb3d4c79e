using MediaRelay.Dtls;

namespace MediaRelay.LoadTest;

/// <summary>The load's shape and the ramp's limits (command-line options, see <see cref="Program"/>).</summary>
internal sealed record LoadSettings
{
    public int PublishersPerRoom { get; init; } = 2;
    public int SubscribersPerRoom { get; init; } = 8;
    public int VideoBitrate { get; init; } = 1_500_000;
    public int FirstRooms { get; init; } = 4;
    public int StepRooms { get; init; } = 4;
    public int MaxRooms { get; init; } = 120;
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(4);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(8);
    public int SampleEvery { get; init; } = 4;
    public double MaxLoss { get; init; } = 0.01;
    public double MaxP99Micros { get; init; } = 5000;
    public ushort SrtpProfile { get; init; } = DtlsSrtpProfile.Aes128CmHmacSha1_80;
    public string ServerCpus { get; init; } = "0";
    public bool Verbose { get; init; }

    /// <summary>Extra environment for the MediaRelay server process ("--server-env K=V,K=V"), e.g. runtime knobs.</summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Janus's general.event_loops: 0 = its default, a thread per handle; N = a shared pool of N loops.</summary>
    public int JanusEventLoops { get; init; }
    public string WorkDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "mediarelay-loadtest");

    /// <summary>Packets per second one publisher sends: 50 audio + 30 frames of the video bitrate in ≤1100-byte packets.</summary>
    public double PublisherPacketsPerSecond
    {
        get
        {
            int frame = VideoBitrate / 8 / 30;
            return 50 + (30 * Math.Max(1, (frame + Peers.LoadPeer.MaxVideoPayload - 1) / Peers.LoadPeer.MaxVideoPayload));
        }
    }

    /// <summary>Forwarded packets per second one room asks of the server.</summary>
    public double RoomForwardedPacketsPerSecond => PublishersPerRoom * SubscribersPerRoom * PublisherPacketsPerSecond;
}
