using MediaRelay.Server.Rooms;
using MediaRelay.Sfu;
using Prometheus;

namespace MediaRelay.Server.Diagnostics;

/// <summary>
/// Rooms, participants and published tracks, counted over every room registry in the process at scrape time, and
/// how long joins take. No per-room or per-participant labels.
/// </summary>
public static class SessionMetrics
{
    private static readonly object Gate = new();
    private static readonly List<WeakReference<RoomRegistry>> Registries = [];

    private static readonly Gauge Participants = Prometheus.Metrics.CreateGauge(
        "mediarelay_participants", "Participants in rooms, by kind of connection (webrtc; sip to come).",
        new GaugeConfiguration { LabelNames = ["kind"] });

    private static readonly Gauge.Child WebRtcParticipants = Participants.WithLabels("webrtc");

    private static readonly Gauge Tracks = Prometheus.Metrics.CreateGauge(
        "mediarelay_tracks", "Published tracks (producers), by media kind.", new GaugeConfiguration { LabelNames = ["kind"] });

    private static readonly Gauge.Child AudioTracks = Tracks.WithLabels("audio");
    private static readonly Gauge.Child VideoTracks = Tracks.WithLabels("video");

    private static readonly Histogram JoinDuration = Prometheus.Metrics.CreateHistogram(
        "mediarelay_join_duration_seconds",
        "From a participant's join request to its DTLS-SRTP transport being up (media can flow).",
        new HistogramConfiguration { Buckets = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30] });

    static SessionMetrics() => Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(Publish);

    /// <summary>Creates the series so they are exported from the first scrape.</summary>
    public static void EnsureRegistered() => _ = JoinDuration;

    internal static void Attach(RoomRegistry registry)
    {
        lock (Gate)
        {
            Registries.RemoveAll(r => !r.TryGetTarget(out _));
            Registries.Add(new WeakReference<RoomRegistry>(registry));
        }
    }

    /// <summary>A participant's transport came up this long after it asked to join (control plane, once per join).</summary>
    public static void Joined(TimeSpan duration) => JoinDuration.Observe(duration.TotalSeconds);

    private static void Publish()
    {
        int rooms = 0, participants = 0, audio = 0, video = 0;
        lock (Gate)
        {
            foreach (WeakReference<RoomRegistry> reference in Registries)
            {
                if (!reference.TryGetTarget(out RoomRegistry? registry))
                {
                    continue;
                }
                foreach (ConsultationRoom room in registry.Rooms)
                {
                    rooms += room.IsEmpty ? 0 : 1;
                    participants += room.Participants.Count;
                    foreach (Producer producer in room.Router.Producers)
                    {
                        if (producer.Kind == MediaKind.Audio)
                        {
                            audio++;
                        }
                        else
                        {
                            video++;
                        }
                    }
                }
            }
        }
        MediaMetrics.Rooms.Set(rooms);
        WebRtcParticipants.Set(participants);
        AudioTracks.Set(audio);
        VideoTracks.Set(video);
    }
}
