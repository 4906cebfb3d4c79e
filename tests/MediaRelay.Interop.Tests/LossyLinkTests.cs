using MediaRelay.Interop.Tests.Chromium;
using MediaRelay.Interop.Tests.Server;
using MediaRelay.Server.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaRelay.Interop.Tests;

/// <summary>
/// A cross-border consultation: both doctors reach the server through a path with 125 ms one-way delay and 3%
/// random loss in each direction (user-space relay; no tc netem here). NACK on both legs (RTX toward the viewer)
/// repairs the losses, the server asks the viewer's receiver to hold frames long enough for those repairs to arrive
/// (playout-delay hint sized to the round trip), so the top layer decodes at close to the frame rate of the same call
/// without impairment; RFC 2198 redundant audio keeps concealment low.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class LossyLinkTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly TimeSpan MeasuredSpan = TimeSpan.FromSeconds(20); // long enough that one stall on 2 busy cores does not decide it

    /// <summary>Issue 4's bar: at least 80% of the frame rate of the same call without impairment.</summary>
    private const double FrameRateFloor = 0.8;

    [Fact]
    public async Task VideoFrameRateHoldsUnder250MsRoundTripAnd3PercentLoss()
    {
        Window baseline = await MeasureAsync(impaired: false);
        long nackedBefore = MediaMetrics.NackedCount, resentBefore = MediaMetrics.RetransmittedCount;
        Window impaired = await MeasureAsync(impaired: true);
        long nacked = MediaMetrics.NackedCount - nackedBefore, resent = MediaMetrics.RetransmittedCount - resentBefore;
        output.WriteLine($"decoded fps: baseline {baseline.FramesPerSecond:F1}, impaired {impaired.FramesPerSecond:F1} " +
            $"({impaired.FramesPerSecond / baseline.FramesPerSecond:P0}); audio concealed {impaired.Concealment:P2} " +
            $"(baseline {baseline.Concealment:P2}); server NACKed {nacked} packets to publishers, resent {resent} to " +
            $"subscribers; the viewer received {impaired.Retransmissions} RTX packets");

        Assert.True(nacked > 0 && resent > 0, "losses on both legs should have been repaired by NACK");
        Assert.True(impaired.Retransmissions > 0, "the viewer should count RTX retransmissions (RFC 4588)");
        Assert.True(impaired.FramesPerSecond >= FrameRateFloor * baseline.FramesPerSecond,
            $"impaired {impaired.FramesPerSecond:F1} fps < {FrameRateFloor:P0} of {baseline.FramesPerSecond:F1} fps");
        Assert.True(impaired.Concealment < 0.05, $"audio concealment {impaired.Concealment:P2} ≥ 5%");
    }

    private sealed record Window(double FramesPerSecond, double Concealment, long Retransmissions);

    private async Task<Window> MeasureAsync(bool impaired)
    {
        using var upstream = new ImpairedPath(seed: 3);
        using var downstream = new ImpairedPath(seed: 4);
        if (impaired)
        {
            foreach (ImpairedPath path in new[] { upstream, downstream })
            {
                path.Delay = TimeSpan.FromMilliseconds(125);
                path.LossProbability = 0.03;
                path.QueueLimit = 1000;
            }
        }
        string room = impaired ? "almaty-urumqi" : "local-ward";
        await using var call = await TwoPartyCall.StartAsync(chromium, output, room,
            impaired ? new Action<UdpRelay>(r => { r.Upstream = upstream; r.Downstream = downstream; }) : null,
            // A large tile: the viewer takes the top simulcast layer, the one with the most packets per frame to lose.
            new BrowserTypeLaunchPersistentContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 900 }, DeviceScaleFactor = 2 },
            "--MediaRelay:Rooms:MaxParticipants=2");
        IPage viewer = call.PageB;
        await WebRtcStats.WaitForAsync(viewer, s => s.VideoFramesDecoded > 30, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(4)); // past the start-up keyframes, the bitrate ramp and the first repairs
        RoomPages.ReceiveQuality start = await RoomPages.ReadQualityAsync(viewer);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        RoomPages.ReceiveQuality previous = start;
        while (clock.Elapsed < MeasuredSpan)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            RoomPages.ReceiveQuality now = await RoomPages.ReadQualityAsync(viewer);
            string consumers = string.Join("; ", call.Server.Producers(room).SelectMany(p => p.Consumers)
                .Where(c => c.Producer.Kind == MediaRelay.Sfu.MediaKind.Video)
                .Select(c => $"{c.Id} L{c.CurrentLayer} cap {(c.MaxLayer == int.MaxValue ? "-" : c.MaxLayer)} pd {c.PlayoutDelayMilliseconds}"));
            output.WriteLine($"  t+{clock.Elapsed.TotalSeconds:F0}s: {(now.FramesDecoded - previous.FramesDecoded) / 2.0:F1} fps, " +
                $"concealed {now.ConcealedSamples - previous.ConcealedSamples}/{now.TotalSamplesReceived - previous.TotalSamplesReceived}, " +
                $"{consumers}, paths " + string.Join(" / ", call.Server.Media.Peers.Select(p => p.DescribeSubscriberPath())) +
                $"; stalls: loop {call.Server.Media.TakeMaxTickGap().TotalMilliseconds:F0} ms, relay up {upstream.TakeMaxLateness().TotalMilliseconds:F0} ms, " +
                $"down {downstream.TakeMaxLateness().TotalMilliseconds:F0} ms");
            previous = now;
        }
        RoomPages.ReceiveQuality end = await RoomPages.ReadQualityAsync(viewer);
        double fps = (end.FramesDecoded - start.FramesDecoded) / clock.Elapsed.TotalSeconds;
        string outbound = await call.PageA.EvaluateAsync<string>(@"async () => { const out = [];
            (await window.mediaRelay.pc.getStats()).forEach(r => { if (r.type === 'outbound-rtp' && r.kind === 'video')
              out.push(`${r.rid}:${r.framesPerSecond}fps ${r.frameWidth} ${r.qualityLimitationReason} ${Math.round((r.targetBitrate||0)/1000)}k`); });
            const inb = []; (await window.mediaRelay.pc.getStats()).forEach(r => { if (r.type === 'inbound-rtp' && r.kind === 'video')
              inb.push(`in ${r.framesPerSecond}fps ${r.frameWidth} dropped ${r.framesDropped} jb ${Math.round(1000*r.jitterBufferDelay/(r.jitterBufferEmittedCount||1))}ms (min ${Math.round(1000*(r.jitterBufferMinimumDelay||0)/(r.jitterBufferEmittedCount||1))}ms) freezes ${r.freezeCount} (${r.totalFreezesDuration}s) pli ${r.pliCount} keyframes ${r.keyFramesDecoded} nack ${r.nackCount}`); });
            return out.join('; ') + ' | ' + inb.join('; '); }");
        output.WriteLine("A: " + outbound);
        output.WriteLine($"server: pacer dropped {MediaMetrics.PacerDroppedCount}, padding {MediaMetrics.PaddingBytes} B, " +
            string.Join("; ", call.Server.Producers(room).SelectMany(p => p.Consumers).Where(c => c.Producer.Kind == MediaRelay.Sfu.MediaKind.Video)
                .Select(c => $"{c.Id} layer {c.CurrentLayer} sent {c.PacketsSent} dropped {c.PacketsDropped} switches {c.LayerSwitches}")) +
            " | estimates " + string.Join(", ", call.Server.Media.Peers.Select(p => $"{p.SubscriberEstimateBitsPerSecond / 1000}k")));
        output.WriteLine($"{room}: {fps:F1} fps, video lost {end.VideoPacketsLost}, page NACKs {end.NackCount}, " +
            $"audio concealed {end.ConcealedSamples}/{end.TotalSamplesReceived}");
        long samples = end.TotalSamplesReceived - start.TotalSamplesReceived;
        double concealment = samples > 0 ? (end.ConcealedSamples - start.ConcealedSamples) / (double)samples : 1;
        return new Window(fps, concealment, end.RetransmittedPacketsReceived - start.RetransmittedPacketsReceived);
    }
}
