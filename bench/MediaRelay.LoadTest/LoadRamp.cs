using System.Net;
using MediaRelay.Dtls;
using MediaRelay.LoadTest.Measurement;
using MediaRelay.LoadTest.Peers;
using MediaRelay.LoadTest.Reporting;
using MediaRelay.LoadTest.Targets;

namespace MediaRelay.LoadTest;

/// <summary>
/// Drives one target through a series of loads (rooms added step by step, each room P publishers × S subscribers),
/// measuring a window at each; stops at the first step beyond the limits (loss or p99), at the room cap, or when
/// the generator itself runs out of core.
/// </summary>
internal static class LoadRamp
{
    private static readonly TimeSpan FlowTimeout = TimeSpan.FromSeconds(40);

    public static async Task<IReadOnlyList<StepResult>> RunAsync(ILoadTarget target, LoadSettings settings,
        IEnumerable<int> roomSteps, TextWriter log, CancellationToken cancel)
    {
        var results = new List<StepResult>();
        log.WriteLine($"[{target.Name}] starting");
        await target.StartAsync(cancel);
        using var generator = new LoadGenerator(settings.VideoBitrate, settings.SampleEvery);
        var context = new LoadContext(DtlsCertificate.Generate(), settings.SrtpProfile, generator);
        int rooms = 0;
        foreach (int step in roomSteps)
        {
            var pending = new List<LoadRoom>();
            while (rooms < step)
            {
                pending.Add(CreateRoom(rooms++, settings, generator, target.PeerAddress));
            }
            // A few rooms signal at once: joins are cheap, DTLS handshakes are what the server pays for.
            foreach (LoadRoom[] batch in pending.Chunk(4))
            {
                await Task.WhenAll(batch.Select(r => target.AddRoomAsync(r, context, cancel)));
            }
            await WaitUntilFlowingAsync(generator, target.Name, cancel);
            // The first step also waits out the servers' start-up: JIT tiering (.NET) and lazy allocations.
            await Task.Delay(results.Count == 0 ? settings.Settle + settings.Warmup : settings.Settle, cancel);
            LoadWindow window = await LoadWindow.BeginAsync(generator, target, cancel);
            await Task.Delay(settings.Window, cancel);
            StepResult result = await window.EndAsync(rooms, cancel);
            results.Add(result);
            log.WriteLine(ResultTable.Line(result));
            if (settings.Verbose)
            {
                foreach (LoadPeer peer in generator.Peers.Where(p => p.Kind == PeerKind.Subscriber).Take(2))
                {
                    log.WriteLine($"  subscriber {peer.Index}: rtp {peer.RtpPackets}, other {peer.OtherPackets}; " +
                        string.Join("; ", peer.Streams.Select(s => $"{s.Key:x8} {s.Value}")));
                }
                foreach (LoadPeer peer in generator.Peers.Where(p => p.Kind == PeerKind.Publisher).Take(2))
                {
                    log.WriteLine($"  publisher {peer.Index}: audio {peer.AudioPacketsSent}, video {peer.VideoPacketsSent}, key frame requests {peer.KeyFrameRequests}, other in {peer.OtherPackets}, send errors {peer.SendErrors}");
                }
            }
            if (!result.WithinLimits(settings.MaxLoss, settings.MaxP99Micros))
            {
                // One stalled window on a shared VM is not a capacity: measure the same load once more.
                LoadWindow again = await LoadWindow.BeginAsync(generator, target, cancel);
                await Task.Delay(settings.Window, cancel);
                StepResult confirm = await again.EndAsync(rooms, cancel);
                results.Add(confirm);
                log.WriteLine(ResultTable.Line(confirm) + " (again)");
                if (!confirm.WithinLimits(settings.MaxLoss, settings.MaxP99Micros))
                {
                    log.WriteLine($"[{target.Name}] beyond the limits twice at {rooms} rooms: stopping the ramp");
                    break;
                }
            }
            if (result.GeneratorCpuCores > 0.95)
            {
                log.WriteLine($"[{target.Name}] the generator used {result.GeneratorCpuCores:P0} of its core: stopping the ramp");
                break;
            }
        }
        return results;
    }

    internal static LoadRoom CreateRoom(int number, LoadSettings settings, LoadGenerator generator, IPAddress address)
    {
        var publishers = new List<LoadPeer>();
        var subscribers = new List<LoadPeer>();
        for (int i = 0; i < settings.PublishersPerRoom; i++)
        {
            var peer = new LoadPeer(generator.Peers.Count, PeerKind.Publisher, number, address);
            generator.Add(peer);
            publishers.Add(peer);
        }
        for (int i = 0; i < settings.SubscribersPerRoom; i++)
        {
            var peer = new LoadPeer(generator.Peers.Count, PeerKind.Subscriber, number, address);
            generator.Add(peer);
            subscribers.Add(peer);
        }
        return new LoadRoom(number, publishers, subscribers);
    }

    /// <summary>Every subscriber receives every stream it asked for; any peer's failure ends the run with its reason.</summary>
    private static async Task WaitUntilFlowingAsync(LoadGenerator generator, string target, CancellationToken cancel)
    {
        DateTime deadline = DateTime.UtcNow + FlowTimeout;
        while (true)
        {
            int waiting = 0;
            string? example = null;
            foreach (LoadPeer peer in generator.Peers)
            {
                if (peer.Failure is not null)
                {
                    throw new InvalidOperationException($"[{target}] peer {peer.Index} ({peer.Kind}, room {peer.Room}) failed: {peer.Failure}");
                }
                bool ready = peer.Kind == PeerKind.Publisher
                    ? peer.MediaReady
                    : peer.Streams.Count >= peer.ExpectedStreams && peer.ExpectedStreams > 0;
                if (!ready)
                {
                    waiting++;
                    example ??= $"peer {peer.Index} ({peer.Kind}, room {peer.Room}): ICE {(peer.Ice.Connected ? "connected" : "checking")}, " +
                        $"SRTP {(peer.MediaReady ? "ready" : "not ready")}, {peer.Streams.Count}/{peer.ExpectedStreams} streams";
                }
            }
            if (waiting == 0)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"[{target}] {waiting} peers not flowing after {FlowTimeout.TotalSeconds} s, e.g. {example}");
            }
            await Task.Delay(100, cancel);
        }
    }
}
