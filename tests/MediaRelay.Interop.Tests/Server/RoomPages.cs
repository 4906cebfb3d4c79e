using MediaRelay.Interop.Tests.Chromium;
using Microsoft.Playwright;

namespace MediaRelay.Interop.Tests.Server;

/// <summary>Reads what a consultation page receives, per remote producer, from the page's own state and getStats().</summary>
public static class RoomPages
{
    /// <summary>One inbound video as the page sees it: which producer (source, publisher) and how it decodes.</summary>
    public sealed class InboundVideo
    {
        public string ProducerId { get; set; } = "";
        public string ParticipantId { get; set; } = "";
        public string Source { get; set; } = "";
        public long FramesDecoded { get; set; }
        public int FrameWidth { get; set; }

        public override string ToString() => $"{Source} of {ParticipantId}: {FramesDecoded} frames, {FrameWidth} px";
    }

    private const string Script = """
        async () => {
          const s = window.mediaRelay;
          if (!s || !s.pc) return [];
          const byMid = new Map();
          (await s.pc.getStats()).forEach(r => {
            if (r.type === 'inbound-rtp' && r.kind === 'video') byMid.set(r.mid, r);
          });
          const result = [];
          for (const [producerId, t] of s.receivers) {
            const p = s.producers.get(producerId);
            if (!p || p.kind !== 'video') continue;
            const r = byMid.get(t.mid) || {};
            result.push({ producerId, participantId: p.participantId, source: p.source,
              framesDecoded: r.framesDecoded || 0, frameWidth: r.frameWidth || 0 });
          }
          return result;
        }
        """;

    /// <summary>Totals over a page's inbound streams: decoded frames, and audio samples received vs concealed.</summary>
    public sealed class ReceiveQuality
    {
        public long FramesDecoded { get; set; }
        public long TotalSamplesReceived { get; set; }
        public long ConcealedSamples { get; set; }
        public long VideoPacketsLost { get; set; }
        public long NackCount { get; set; }

        /// <summary>Video packets that arrived as RFC 4588 retransmissions (inbound-rtp retransmittedPacketsReceived).</summary>
        public long RetransmittedPacketsReceived { get; set; }
    }

    public static async Task<ReceiveQuality> ReadQualityAsync(IPage page) => await page.EvaluateAsync<ReceiveQuality>("""
        async () => {
          const q = { framesDecoded: 0, totalSamplesReceived: 0, concealedSamples: 0, videoPacketsLost: 0, nackCount: 0,
                      retransmittedPacketsReceived: 0 };
          const pc = window.mediaRelay && window.mediaRelay.pc;
          if (!pc) return q;
          (await pc.getStats()).forEach(r => {
            if (r.type !== 'inbound-rtp') return;
            if (r.kind === 'video') {
              q.framesDecoded += r.framesDecoded || 0; q.videoPacketsLost += r.packetsLost || 0; q.nackCount += r.nackCount || 0;
              q.retransmittedPacketsReceived += r.retransmittedPacketsReceived || 0;
            } else {
              q.totalSamplesReceived += r.totalSamplesReceived || 0; q.concealedSamples += r.concealedSamples || 0;
            }
          });
          return q;
        }
        """);

    public static async Task<IReadOnlyList<InboundVideo>> ReadInboundVideoAsync(IPage page) =>
        await page.EvaluateAsync<InboundVideo[]>(Script) ?? [];

    /// <summary>The id the server gave the page when it joined (waits for the join).</summary>
    public static async Task<string> ParticipantIdAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => window.mediaRelay && window.mediaRelay.participantId",
            null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        return await page.EvaluateAsync<string>("() => window.mediaRelay.participantId");
    }

    /// <summary>Starts sharing a canvas (a stand-in for a screen or an image viewer) that redraws 5 times a second.</summary>
    public static Task ShareCanvasAsync(IPage page) => page.EvaluateAsync("""
        () => {
          const canvas = document.createElement('canvas');
          canvas.width = 1280; canvas.height = 720;
          const g = canvas.getContext('2d');
          let n = 0;
          setInterval(() => {
            g.fillStyle = `hsl(${(n * 7) % 360}, 40%, 20%)`; g.fillRect(0, 0, 1280, 720);
            g.fillStyle = '#fff'; g.font = '48px sans-serif'; g.fillText(`CT slice ${n++}`, 80, 120);
          }, 200);
          return window.mediaRelay.shareTrack(canvas.captureStream(5).getVideoTracks()[0]);
        }
        """);

    public static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout) =>
        await WebRtcStats.WaitForAsync(condition, timeout);
}
