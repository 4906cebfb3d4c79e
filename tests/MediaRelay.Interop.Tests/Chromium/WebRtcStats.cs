using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace MediaRelay.Interop.Tests.Chromium;

/// <summary>
/// Reads what a page's WebRTC stack really received. An init script wraps <c>window.RTCPeerConnection</c> so every
/// instance the page constructs is recorded in <c>window.__peerConnections</c>; the readers sum
/// <c>getStats()</c> over them (W3C webrtc-stats, "inbound-rtp" / "outbound-rtp" / "codec").
/// </summary>
public static class WebRtcStats
{
    /// <summary>
    /// Subclasses the native constructor, so <c>instanceof</c>, static <c>generateCertificate</c> and the page's
    /// own code keep working; idempotent when a frame runs it twice.
    /// </summary>
    public const string RecorderScript = """
        (() => {
          if (window.__peerConnections || typeof window.RTCPeerConnection !== 'function') return;
          const recorded = [];
          Object.defineProperty(window, '__peerConnections', { value: recorded, enumerable: false });
          const Native = window.RTCPeerConnection;
          class RecordedPeerConnection extends Native {
            constructor(...args) {
              super(...args);
              recorded.push(this);
            }
          }
          window.RTCPeerConnection = RecordedPeerConnection;
          if (window.webkitRTCPeerConnection) window.webkitRTCPeerConnection = RecordedPeerConnection;
        })();
        """;

    private const string ReadScript = """
        async () => {
          const connections = window.__peerConnections || [];
          const totals = {
            peerConnections: connections.length, connectionStates: [],
            videoFramesDecoded: 0, videoPacketsReceived: 0, maxVideoFrameWidth: 0,
            audioPacketsReceived: 0, packetsSent: 0, inboundCodecs: [],
          };
          for (const connection of connections) {
            totals.connectionStates.push(connection.connectionState);
            let report;
            try { report = await connection.getStats(); } catch { continue; }
            const codecs = new Map();
            report.forEach(s => { if (s.type === 'codec') codecs.set(s.id, s.mimeType); });
            report.forEach(s => {
              if (s.type === 'outbound-rtp') { totals.packetsSent += s.packetsSent || 0; return; }
              if (s.type !== 'inbound-rtp') return;
              const kind = s.kind || s.mediaType;
              if (kind === 'video') {
                totals.videoFramesDecoded += s.framesDecoded || 0;
                totals.videoPacketsReceived += s.packetsReceived || 0;
                totals.maxVideoFrameWidth = Math.max(totals.maxVideoFrameWidth, s.frameWidth || 0);
              } else if (kind === 'audio') {
                totals.audioPacketsReceived += s.packetsReceived || 0;
              }
              const mime = codecs.get(s.codecId);
              if (mime && !totals.inboundCodecs.includes(mime)) totals.inboundCodecs.push(mime);
            });
          }
          return JSON.stringify(totals);
        }
        """;

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Installs the recorder for every page and frame the context opens from now on.</summary>
    public static Task InstallAsync(IBrowserContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.AddInitScriptAsync(RecorderScript);
    }

    /// <summary>One <c>getStats()</c> pass over all of the page's peer connections.</summary>
    public static async Task<WebRtcStatsSnapshot> ReadAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var json = await page.EvaluateAsync<string>(ReadScript).ConfigureAwait(false);
        return JsonSerializer.Deserialize<WebRtcStatsSnapshot>(json, JsonOptions)
            ?? throw new InvalidOperationException("getStats() reader returned nothing.");
    }

    /// <summary>Sum of framesDecoded over the page's inbound-rtp video streams.</summary>
    public static async Task<long> GetVideoFramesDecodedAsync(IPage page) =>
        (await ReadAsync(page).ConfigureAwait(false)).VideoFramesDecoded;

    /// <summary>Sum of packetsReceived over the page's inbound-rtp audio streams.</summary>
    public static async Task<long> GetAudioPacketsReceivedAsync(IPage page) =>
        (await ReadAsync(page).ConfigureAwait(false)).AudioPacketsReceived;

    /// <summary>Largest frameWidth over the page's inbound-rtp video streams.</summary>
    public static async Task<int> GetMaxVideoFrameWidthAsync(IPage page) =>
        (await ReadAsync(page).ConfigureAwait(false)).MaxVideoFrameWidth;

    /// <summary>
    /// Polls the page's stats until <paramref name="predicate"/> holds and returns that snapshot; on timeout
    /// throws <see cref="TimeoutException"/> carrying the last snapshot, so a failing test says what did arrive.
    /// </summary>
    public static async Task<WebRtcStatsSnapshot> WaitForAsync(
        IPage page,
        Func<WebRtcStatsSnapshot, bool> predicate,
        TimeSpan timeout,
        TimeSpan? pollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var interval = pollInterval ?? TimeSpan.FromMilliseconds(250);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var snapshot = await ReadAsync(page).ConfigureAwait(false);
            if (predicate(snapshot))
            {
                return snapshot;
            }

            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException(
                    $"WebRTC stats condition not met within {timeout.TotalSeconds:0.#} s; last: {snapshot}");
            }

            await Task.Delay(interval).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Polls any asynchronous condition until it holds; returns false on timeout (the caller asserts with context).
    /// </summary>
    public static async Task<bool> WaitForAsync(
        Func<Task<bool>> condition,
        TimeSpan timeout,
        TimeSpan? pollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var interval = pollInterval ?? TimeSpan.FromMilliseconds(250);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition().ConfigureAwait(false))
            {
                return true;
            }

            if (clock.Elapsed >= timeout)
            {
                return false;
            }

            await Task.Delay(interval).ConfigureAwait(false);
        }
    }
}
