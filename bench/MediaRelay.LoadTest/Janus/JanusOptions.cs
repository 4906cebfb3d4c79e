namespace MediaRelay.LoadTest.Janus;

/// <summary>
/// How <see cref="JanusProcess"/> starts Janus 1.1.x with a private configuration.
/// </summary>
/// <param name="WorkDir">Scratch directory; the configs go to WorkDir/etc and the output to WorkDir/janus.log.</param>
/// <param name="CpuList">taskset CPU list Janus is pinned to, e.g. "0" or "0-1".</param>
/// <param name="Interface">The only interface Janus gathers ICE candidates on (ice_enforce_list). Janus skips
/// loopback interfaces, so this is a veth carrying 127.0.0.2 inside a private network namespace.</param>
/// <param name="HttpPort">Port of the plain HTTP transport, bound to 127.0.0.1.</param>
/// <param name="EventLoops">general.event_loops: 0 = Janus default (one glib loop thread per handle),
/// N &gt; 0 = a fixed pool of N loops shared by all handles.</param>
/// <param name="RtpPortRange">media.rtp_port_range, "min-max".</param>
/// <param name="DebugLevel">general.debug_level: 3 = warnings (keep it low under load), 4 = info, 5 = verbose.</param>
/// <param name="JanusBinary">Path of the janus executable.</param>
public sealed record JanusOptions(
    string WorkDir,
    string CpuList = "0",
    string Interface = "jveth0",
    int HttpPort = 8088,
    int EventLoops = 0,
    string RtpPortRange = "20000-40000",
    int DebugLevel = 3,
    string JanusBinary = "/usr/bin/janus");
