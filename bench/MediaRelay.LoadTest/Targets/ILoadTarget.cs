using MediaRelay.Dtls;
using MediaRelay.LoadTest.Peers;

namespace MediaRelay.LoadTest.Targets;

/// <summary>A server the load runs against: MediaRelay, the bare reflector, or Janus VideoRoom.</summary>
internal interface ILoadTarget : IAsyncDisposable
{
    string Name { get; }

    /// <summary>The process whose CPU time is the server's cost (pinned to the server core).</summary>
    int ProcessId { get; }

    /// <summary>The address the load peers bind (Janus talks only to its veth's 127.0.0.2; the others to 127.0.0.1).</summary>
    System.Net.IPAddress PeerAddress => System.Net.IPAddress.Loopback;

    Task StartAsync(CancellationToken cancel);

    /// <summary>Signals one room's peers in and connects them (ICE, DTLS) to the target; returns when media can flow.</summary>
    Task AddRoomAsync(LoadRoom room, LoadContext context, CancellationToken cancel);

    /// <summary>The server's own counters, where it exposes them (MediaRelay's /metrics); null otherwise.</summary>
    Task<ServerCounters?> ReadCountersAsync(CancellationToken cancel);
}

internal sealed record LoadRoom(int Number, IReadOnlyList<LoadPeer> Publishers, IReadOnlyList<LoadPeer> Subscribers);

internal sealed record LoadContext(DtlsCertificate Certificate, ushort SrtpProfile, LoadGenerator Generator);

/// <summary>
/// Counters scraped from the server: forwarded packets, garbage collections, bytes allocated, and its own
/// forward-latency histogram (mediarelay_forward_latency_seconds) when it exports one.
/// </summary>
internal sealed record ServerCounters(double ForwardedPackets, double Gen0Collections, double Gen1Collections,
    double Gen2Collections, double AllocatedBytes, double MaxLoopStallSeconds,
    Measurement.PrometheusHistogram? ForwardLatency = null);
