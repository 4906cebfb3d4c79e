using System.Diagnostics;
using MediaRelay.Interop.Tests.Chromium;
using MediaRelay.Interop.Tests.Server;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaRelay.Interop.Tests;

/// <summary>
/// A subscriber whose downlink drops to 500 kbps (a rate-capped relay leg with a 100-packet bottleneck queue): the
/// server's transport-cc estimate falls, the allocator moves that subscriber to a lower simulcast layer, the other
/// subscriber keeps the top layer, and once the cap lifts, padding probes let the estimate climb and the subscriber
/// returns to the top layer.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class BandwidthCapTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task CappedSubscriberDropsALayerWithin5sOthersKeepTheTopAndItClimbsBackWithin15s()
    {
        const string Room = "hanoi-nanning";
        var wide = new BrowserTypeLaunchPersistentContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1600, Height = 900 },
            DeviceScaleFactor = 3,
        };
        await using var call = await TwoPartyCall.StartAsync(chromium, output, Room, "--MediaRelay:Rooms:MaxParticipants=4");
        await call.PageB.ClickAsync("#leave"); // three pages, not four, share these two cores
        IPage capped = await call.OpenAsync(chromium, output, Room, "Dr Capped", wide);
        IPage other = await call.OpenAsync(chromium, output, Room, "Dr Other", wide);
        // The two subscribers turn their own cameras off (black frames at a trickle): the proof is about Dr A's
        // camera reaching them, and three full simulcast encoders plus six decoders on two cores starve the browsers
        // enough that their delayed packet stamps read as congestion on the uncapped path too.
        await capped.ClickAsync("#camera");
        await other.ClickAsync("#camera");
        string publisher = await RoomPages.ParticipantIdAsync(call.PageA);
        // Once a second: every subscriber's estimate (with its cuts) and every video consumer's layer and cap; printed
        // at the end, so a failure shows which estimate moved whom.
        using var traceStop = new CancellationTokenSource();
        var trace = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Task tracer = TraceAsync(call, Room, trace, traceStop.Token);
        try
        {
            // Both on the top layer, steadily (2 s in a row), before the cap: a switch measured later is the cap's doing.
            int top = 0;
            var steady = new Stopwatch();
            bool bothOnTop = await RoomPages.WaitAsync(async () =>
            {
                top = call.Server.Producers(Room).Where(p => p.ParticipantId == publisher && p.IsSimulcast)
                    .SelectMany(p => p.Layers).Select(l => l.Width).DefaultIfEmpty(0).Max();
                if (top > 0 && await WidthAsync(capped, publisher) == top && await WidthAsync(other, publisher) == top)
                {
                    steady.Start();
                }
                else
                {
                    steady.Reset();
                }
                return steady.Elapsed >= TimeSpan.FromSeconds(2);
            }, TimeSpan.FromSeconds(40));
            Report(call, Room, publisher, "start");
            Assert.True(bothOnTop, $"both subscribers should start on the top layer ({top} px): capped " +
                $"{await WidthAsync(capped, publisher)}, other {await WidthAsync(other, publisher)}");

            // The relay leg whose server-side socket is the address the server sends this page's media to.
            string cappedId = await RoomPages.ParticipantIdAsync(capped);
            int port = call.Server.Media.Peers.Single(p => p.ParticipantId == cappedId).RemoteEndPoint!.Port;
            UdpRelay.Leg leg = call.Relay.Legs.Single(l => ((System.Net.IPEndPoint)l.Upstream.LocalEndPoint!).Port == port);
            using var bottleneck = new ImpairedPath(seed: 7) { RateBitsPerSecond = 500_000, QueueLimit = 100 };
            leg.DownstreamPath = bottleneck;
            var clock = Stopwatch.StartNew();

            TimeSpan? down = await TimeUntilAsync(async () => await WidthAsync(capped, publisher) is > 0 and var w && w < top,
                TimeSpan.FromSeconds(10), clock);
            Report(call, Room, publisher, "capped");
            output.WriteLine($"capped at 500 kbps: lower layer after {Describe(down)} ({await WidthAsync(capped, publisher)} px)");
            Assert.True(down is not null && down <= TimeSpan.FromSeconds(5), $"no lower layer within 5 s ({Describe(down)})");

            // Hold the cap: the capped page stays low (and keeps decoding), the other page is untouched.
            await Task.Delay(TimeSpan.FromSeconds(5));
            long frames = await FramesAsync(capped, publisher);
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.True(await FramesAsync(capped, publisher) > frames + 10, "the capped page should keep decoding video");
            Assert.True(await WidthAsync(capped, publisher) < top, "the capped page went back up while still capped");
            Assert.Equal(top, await WidthAsync(other, publisher));
            output.WriteLine($"while capped: bottleneck forwarded {bottleneck.Forwarded}, dropped {bottleneck.DroppedByQueue}");

            bottleneck.RateBitsPerSecond = 0;
            clock.Restart();
            TimeSpan? up = await TimeUntilAsync(async () => await WidthAsync(capped, publisher) == top,
                TimeSpan.FromSeconds(25), clock);
            Report(call, Room, publisher, "lifted");
            output.WriteLine($"cap lifted: top layer again after {Describe(up)}");
            Assert.True(up is not null && up <= TimeSpan.FromSeconds(15), $"not back on the top layer within 15 s ({Describe(up)})");
            Assert.Equal(top, await WidthAsync(other, publisher));
        }
        finally
        {
            traceStop.Cancel();
            await tracer;
            foreach (string line in trace)
            {
                output.WriteLine(line);
            }
        }
    }

    /// <summary>What the server thinks: each layer's rate, each subscriber's cap and forwarded layer.</summary>
    private void Report(TwoPartyCall call, string room, string publisher, string when)
    {
        output.WriteLine($"{when}: paths " + string.Join("; ", call.Server.Media.Peers.Select(p =>
            $"{p.ParticipantId} {p.DescribeSubscriberPath()}")));
        foreach (MediaRelay.Sfu.Producer p in call.Server.Producers(room).Where(p => p.ParticipantId == publisher && p.IsSimulcast))
        {
            output.WriteLine($"{when}: layers " + string.Join(", ", p.Layers.Select(l => $"{l.Width}px {l.BitsPerSecond / 1000}k")));
            foreach (MediaRelay.Sfu.Consumer c in p.Consumers)
            {
                output.WriteLine($"{when}: {c.SubscriberId} forwards layer {c.CurrentLayer}, cap {(c.MaxLayer == int.MaxValue ? "none" : c.MaxLayer)}, " +
                    $"retransmitted {c.Retransmitted}, switches {c.LayerSwitches}");
            }
        }
    }

    private static async Task TraceAsync(TwoPartyCall call, string room, System.Collections.Concurrent.ConcurrentQueue<string> trace, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        static string Short(string id) => id[..Math.Min(4, id.Length)];
        while (!stop.IsCancellationRequested)
        {
            MediaRelay.Sfu.Producer[] producers = [.. call.Server.Producers(room).Where(p => p.IsSimulcast)];
            trace.Enqueue($"t+{clock.Elapsed.TotalSeconds:F0}s: " +
                string.Join(" | ", call.Server.Media.Peers.Select(p => $"{Short(p.ParticipantId)} {p.DescribeSubscriberPath()}")) + " || " +
                string.Join(", ", producers.SelectMany(p => p.Consumers).Select(c => $"{Short(c.Producer.ParticipantId)}->{Short(c.SubscriberId)} " +
                    $"L{c.CurrentLayer}/{(c.MaxLayer == int.MaxValue ? "-" : c.MaxLayer)}")) + " || layers kbps " +
                string.Join(", ", producers.Select(p => Short(p.ParticipantId) + " " + string.Join("/", p.Layers.Select(l => l.BitsPerSecond / 1000)))));
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static string Describe(TimeSpan? t) => t is { } v ? $"{v.TotalSeconds:F1} s" : "never";

    private static async Task<TimeSpan?> TimeUntilAsync(Func<Task<bool>> condition, TimeSpan limit, Stopwatch clock)
    {
        while (clock.Elapsed < limit)
        {
            if (await condition())
            {
                return clock.Elapsed;
            }
            await Task.Delay(Poll);
        }
        return null;
    }

    private static async Task<int> WidthAsync(IPage page, string participant) =>
        (await RoomPages.ReadInboundVideoAsync(page)).FirstOrDefault(v => v.ParticipantId == participant && v.Source == "camera")?.FrameWidth ?? 0;

    private static async Task<long> FramesAsync(IPage page, string participant) =>
        (await RoomPages.ReadInboundVideoAsync(page)).FirstOrDefault(v => v.ParticipantId == participant && v.Source == "camera")?.FramesDecoded ?? 0;
}
