using MediaRelay.Recording.Crypto;
using MediaRelay.Recording.Journal;
using MediaRelay.Recording.Media;
using MediaRelay.Recording.Native;

namespace MediaRelay.Recording.Finalize;

/// <summary>
/// Turns a recording's journals (complete, or cut short by a crash) into standard files: one per participant
/// (WebM for VP8 + Opus, MP4 for H.264 + Opus) and one Matroska file for the room with every track. All tracks share
/// one clock: RTCP sender reports align the tracks of a participant, arrival times place the participants. A
/// participant's audio and video begin together: at the first audio frame with the first key frame shown from there
/// (up to 1 s early), or at a first key frame that came before any audio, the audio led in with silence (see
/// ParticipantStart); the earliest participant start is time 0. Audio is made contiguous: a hole in an Opus track's timestamps
/// (lost packets, DTX, a network drop) longer than half a packet and at most 10 minutes is filled with Opus silence
/// frames (<see cref="OpusGapBridge"/>), in every file, because players do not fill audio timestamp holes and the
/// audio would then run ahead of the video; <see cref="FinalizedTrack"/> counts what was filled. A longer hole stays
/// a hole, and video gaps stay gaps (the last picture holds). With an output
/// key, each file is then sealed in the chunked AES-GCM format and the plaintext removed.
/// </summary>
public sealed class RecordingFinalizer(IReadOnlyList<RecordingKey> journalKeys, RecordingKey? outputKey)
{
    public const string JournalExtension = ".mrj";

    private List<TrackPlan> _all = [];

    public FinalizedRecording Finalize(string journalDirectory, string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        string[] journals = [.. Directory.GetFiles(journalDirectory, "*" + JournalExtension).Order(StringComparer.Ordinal)];
        var tracks = new List<TrackPlan>();
        foreach (string path in journals)
        {
            TrackJournalMetadata metadata;
            try
            {
                metadata = TrackFrameSource.ReadMetadata(path, journalKeys);
            }
            catch (RecordingFormatException e) when (e.Error == RecordingFormatError.TruncatedHeader)
            {
                continue; // created, then the server died before its first record: nothing was recorded
            }
            tracks.Add(new TrackPlan(path, metadata));
        }
        tracks = GroupLayers(tracks);
        if (tracks.Count == 0)
        {
            return new FinalizedRecording([], TimeSpan.Zero, []);
        }
        _all = tracks;

        // A participant's audio and video start together (see ParticipantStart); the earliest start is time 0.
        long end = Span(tracks);
        foreach (IGrouping<string, TrackPlan> participant in tracks.Where(t => t.Metadata.Source != TrackSource.Screen && t.First != long.MaxValue)
                     .GroupBy(t => t.Metadata.ParticipantId))
        {
            long start = ParticipantStart(participant.Select(t => (t.Metadata.Kind == TrackMediaKind.Video, t.First)));
            foreach (TrackPlan track in participant)
            {
                track.StartAt = track.Metadata.Kind == TrackMediaKind.Video ? Math.Min(track.First, start) : start; // see Write
            }
        }
        long origin = tracks.Where(t => t.First != long.MaxValue).Select(t => t.StartAt).DefaultIfEmpty(0).Min();
        var files = new List<FinalizedFile>();
        var summaries = new List<FinalizedTrack>();
        files.Add(Write(Path.Combine(outputDirectory, "room.mkv"), "room", MediaContainer.Matroska, tracks, origin, summaries));
        foreach (IGrouping<string, TrackPlan> participant in tracks.GroupBy(t => t.Metadata.ParticipantId))
        {
            TrackPlan[] own = [.. participant.Where(t => t.Metadata.Source != TrackSource.Screen || participant.Count() == 1)];
            bool h264 = own.Any(t => string.Equals(t.Metadata.Codec, "H264", StringComparison.OrdinalIgnoreCase));
            string name = "participant-" + SafeName(participant.First().Metadata.ParticipantName, participant.Key) + (h264 ? ".mp4" : ".webm");
            files.Add(Write(Path.Combine(outputDirectory, name), "participant", h264 ? MediaContainer.Mp4 : MediaContainer.Webm, own, origin, null));
        }
        foreach (TrackPlan screen in tracks.Where(t => t.Metadata.Source == TrackSource.Screen))
        {
            string name = "screen-" + SafeName(screen.Metadata.ParticipantName, screen.Metadata.ParticipantId) + ".mkv";
            files.Add(Write(Path.Combine(outputDirectory, name), "participant", MediaContainer.Matroska, [screen], origin, null));
        }
        return new FinalizedRecording(files, TimeSpan.FromTicks(Math.Max(0, end - origin) * 10), summaries);
    }

    /// <summary>Each track's first frame time, and the last frame time over all tracks (assembles frames, decodes nothing).</summary>
    private long Span(List<TrackPlan> tracks)
    {
        long end = long.MinValue;
        Dictionary<TrackPlan, TrackTimeline> timelines = Timelines(tracks);
        foreach (TrackPlan track in tracks)
        {
            using IFrameSource source = Open(track, timelines);
            while (source.MoveNext())
            {
                if (source.IsVideo && track.First == long.MaxValue && !source.IsKeyframe)
                {
                    continue; // a video track begins at its first key frame (a recording can start mid-stream)
                }
                track.First = Math.Min(track.First, source.Time);
                end = Math.Max(end, source.Time);
            }
            track.StartAt = track.First;
        }
        return end == long.MinValue ? 0 : end;
    }

    /// <summary>
    /// A fresh timeline for every pass over the journals (a timeline maps frames in order, once): every track of
    /// the recording with all its sender reports, grouped by participant so each group's clock offset is the same
    /// in every pass and every file.
    /// </summary>
    private Dictionary<TrackPlan, TrackTimeline> Timelines(List<TrackPlan> tracks)
    {
        var room = new RoomTimeline();
        var timelines = new Dictionary<TrackPlan, TrackTimeline>();
        foreach (TrackPlan track in tracks.SelectMany(t => t.Layers ?? [t]))
        {
            TrackTimeline timeline = room.AddTrack(track.Metadata.ParticipantId, track.Metadata.ClockRate);
            TrackFrameSource.LoadSenderReports(track.Path, journalKeys, timeline);
            timelines[track] = timeline;
        }
        return timelines;
    }

    /// <summary>From the current frame on, the first at or after <paramref name="startAt"/> (a key frame for video).</summary>
    private static bool AdvanceTo(IFrameSource source, long startAt)
    {
        if (source.Time >= startAt && (!source.IsVideo || source.IsKeyframe))
        {
            return true;
        }
        return MoveToStart(source, startAt);
    }

    /// <summary>Advances to the track's first frame at or after its start (a key frame for video); false if none.</summary>
    private static bool MoveToStart(IFrameSource source, long startAt)
    {
        while (source.MoveNext())
        {
            if (source.Time >= startAt && (!source.IsVideo || source.IsKeyframe))
            {
                return true;
            }
        }
        return false;
    }

    private FinalizedFile Write(string path, string scope, MediaContainer container, IReadOnlyList<TrackPlan> tracks,
        long origin, List<FinalizedTrack>? summaries)
    {
        Dictionary<TrackPlan, TrackTimeline> timelines = Timelines(_all);
        string temporary = path + ".part";
        var sources = new List<IFrameSource>();
        var streams = new List<(OpusGapBridge Source, int Stream, bool Live, long FirstAt)>();
        try
        {
            var muxer = new MediaMuxer(temporary, container);
            try
            {
                var positioned = new List<(TrackPlan Track, IFrameSource Source)>();
                foreach (TrackPlan track in tracks)
                {
                    IFrameSource source = Open(track, timelines);
                    sources.Add(source);
                    if (MoveToStart(source, long.MinValue))
                    {
                        positioned.Add((track, source)); // else: no whole frame at all (e.g. no key frame arrived)
                    }
                }
                // A participant's audio and video begin together, decided here on the very frames this pass writes.
                var firstAt = new Dictionary<IFrameSource, long>();
                var audioFrom = new Dictionary<IFrameSource, long>(); // audio that begins after the start is led in with silence
                foreach (var group in positioned.Where(p => p.Track.Metadata.Source != TrackSource.Screen).GroupBy(p => p.Track.Metadata.ParticipantId).ToList())
                {
                    long start = Math.Max(ParticipantStart(group.Select(p => (p.Source.IsVideo, p.Source.Time))),
                        group.Where(p => !p.Source.IsVideo).Select(p => p.Track.StartAt).DefaultIfEmpty(long.MinValue).Max());
                    foreach (var (_, source) in group)
                    {
                        if (source.IsVideo)
                        {
                            // Video is never pushed to a later key frame (that would cost a whole key-frame interval);
                            // a first key frame that came after the start is shown from the start.
                            if (source.Time > start)
                            {
                                // At most MaxVideoLead early (a participant's second camera need not fit the first's start).
                                firstAt[source] = Math.Max(start, source.Time - (long)MaxVideoLead.TotalMicroseconds);
                            }
                        }
                        else if (!AdvanceTo(source, start))
                        {
                            positioned.RemoveAll(p => p.Source == source);
                        }
                        else
                        {
                            audioFrom[source] = start;
                        }
                    }
                }
                foreach (var (track, source) in positioned)
                {
                    int stream = source.IsVideo
                        ? muxer.AddVideo(CodecOf(source.Metadata.Codec), Math.Max(source.Width, 16), Math.Max(source.Height, 16))
                        : muxer.AddAudio(MediaCodec.Opus, source.Metadata.ClockRate, Math.Max(1, source.Metadata.Channels));
                    streams.Add((new OpusGapBridge(source, leadInFrom: audioFrom.GetValueOrDefault(source, long.MaxValue)), stream, true,
                        firstAt.GetValueOrDefault(source, long.MinValue)));
                }
                muxer.Begin();
                // Merge by time: always the earliest current frame of any track.
                while (true)
                {
                    int next = -1;
                    for (int i = 0; i < streams.Count; i++)
                    {
                        if (streams[i].Live && (next < 0 || TimeOf(streams[i]) < TimeOf(streams[next])))
                        {
                            next = i;
                        }
                    }
                    if (next < 0)
                    {
                        break;
                    }
                    OpusGapBridge source = streams[next].Source;
                    muxer.Write(streams[next].Stream, Math.Max(0, TimeOf(streams[next]) - origin), source.IsKeyframe, source.Frame);
                    streams[next] = streams[next] with { Live = source.MoveNext(), FirstAt = long.MinValue };
                }
                muxer.Finish();
            }
            finally
            {
                muxer.Dispose();
            }
            summaries?.AddRange(sources.Select(s => Summary(s, streams.Select(e => e.Source).FirstOrDefault(b => b.Source == s))));
        }
        finally
        {
            foreach (IFrameSource source in sources)
            {
                source.Dispose();
            }
        }
        return Seal(temporary, path, scope, container);
    }

    private static long TimeOf((OpusGapBridge Source, int Stream, bool Live, long FirstAt) stream) =>
        stream.FirstAt != long.MinValue ? stream.FirstAt : stream.Source.Time;

    /// <summary>The longest a participant's first video key frame is shown before it arrived (see ParticipantStart).</summary>
    public static readonly TimeSpan MaxVideoLead = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Where a participant's audio and video begin, from their first frames (video's first is a key frame): at the
    /// first audio frame, with the first key frame shown from then on when it came up to <see cref="MaxVideoLead"/>
    /// later (a key frame is requested when recording starts; it takes a round trip and, after another request, up to
    /// half a second of throttle) - so the file covers the time the recording ran and audio and video start together.
    /// A later key frame moves the start to <see cref="MaxVideoLead"/> before it. A key frame that came before the
    /// first audio (it was already on its way when recording began; the audio's sender-report mapping places the
    /// first audio a few tens of ms late) starts both: the audio is led in with silence, no video is dropped.
    /// </summary>
    private static long ParticipantStart(IEnumerable<(bool IsVideo, long First)> tracks)
    {
        long start = long.MinValue, videoOnly = long.MinValue, earliestVideo = long.MaxValue;
        bool audio = false;
        foreach (var (isVideo, first) in tracks)
        {
            audio |= !isVideo;
            start = Math.Max(start, isVideo ? first - (long)MaxVideoLead.TotalMicroseconds : first);
            videoOnly = Math.Max(videoOnly, first);
            if (isVideo)
            {
                earliestVideo = Math.Min(earliestVideo, first);
            }
        }
        // Without audio, video starts at its own key frame; a key frame before the first audio starts both there,
        // the audio led in with silence (OpusGapBridge), so no video is dropped or squeezed.
        return audio ? Math.Min(start, earliestVideo) : videoOnly;
    }

    /// <summary>
    /// A simulcast producer's layer journals (same <see cref="TrackJournalMetadata.ProducerId"/>) become one plan, read
    /// as one stream (<see cref="LayeredVideoSource"/>); every other journal is its own plan.
    /// </summary>
    private static List<TrackPlan> GroupLayers(List<TrackPlan> tracks)
    {
        var plans = new List<TrackPlan>();
        foreach (IGrouping<(bool, string), TrackPlan> group in tracks.GroupBy(t =>
                     t.Metadata is { ProducerId: { } producer, Kind: TrackMediaKind.Video } ? (true, producer) : (false, t.Path)))
        {
            TrackPlan[] layers = [.. group.OrderBy(t => t.Metadata.Layer)];
            plans.Add(layers.Length == 1 ? layers[0] : new TrackPlan(layers[^1].Path, layers[^1].Metadata) { Layers = layers });
        }
        return plans;
    }

    private IFrameSource Open(TrackPlan track, Dictionary<TrackPlan, TrackTimeline> timelines) =>
        track.Layers is { } layers
            ? new LayeredVideoSource([.. layers.Select(l => new TrackFrameSource(l.Path, journalKeys, timelines[l]))])
            : new TrackFrameSource(track.Path, journalKeys, timelines[track]);

    private static FinalizedTrack Summary(IFrameSource source, OpusGapBridge? bridge) =>
        new(source.Metadata.TrackId, source.Metadata.ParticipantId, source.Metadata.Kind.ToString().ToLowerInvariant(),
            source.Metadata.Codec, source.Frames, source.LostPackets, source.Truncated)
        {
            GapsBridged = bridge?.GapsBridged ?? 0,
            GapsLeft = bridge?.GapsLeft ?? 0,
            SilenceFrames = bridge?.SilenceFrames ?? 0,
            Silence = TimeSpan.FromTicks((bridge?.SilenceMicroseconds ?? 0) * 10),
        };

    /// <summary>Encrypts the finished file at rest (chunked AES-GCM) or moves it into place.</summary>
    private FinalizedFile Seal(string temporary, string path, string scope, MediaContainer container)
    {
        string containerName = container.ToString().ToLowerInvariant();
        if (outputKey is null)
        {
            File.Move(temporary, path, overwrite: true);
            return new FinalizedFile(Path.GetFileName(path), path, scope, containerName, new FileInfo(path).Length, false);
        }
        string sealedPath = path + ".enc";
        using (FileStream plain = File.OpenRead(temporary))
        using (ChunkedFileWriter writer = ChunkedFileWriter.Create(sealedPath, outputKey, ChunkedFileContent.Media))
        {
            byte[] buffer = new byte[256 * 1024];
            int read;
            while ((read = plain.Read(buffer)) > 0)
            {
                writer.Write(buffer.AsSpan(0, read));
            }
            writer.Complete();
        }
        File.Delete(temporary);
        return new FinalizedFile(Path.GetFileName(path), sealedPath, scope, containerName, new FileInfo(sealedPath).Length, true);
    }

    private static MediaCodec CodecOf(string codec) => codec.ToUpperInvariant() switch
    {
        "VP8" => MediaCodec.Vp8,
        "H264" => MediaCodec.H264,
        "VP9" => MediaCodec.Vp9,
        _ => throw new NotSupportedException($"Video codec '{codec}' cannot be recorded."),
    };

    private static string SafeName(string name, string fallback)
    {
        string cleaned = new([.. name.Where(c => char.IsLetterOrDigit(c) || c is '-' or '_')]);
        return cleaned.Length == 0 ? fallback : cleaned.Length > 40 ? cleaned[..40] : cleaned;
    }

    /// <summary>One output stream's journal(s) and where it begins; a class, so it is a dictionary key by identity.</summary>
    private sealed class TrackPlan(string path, TrackJournalMetadata metadata)
    {
        public string Path { get; } = path;

        public TrackJournalMetadata Metadata { get; } = metadata;

        /// <summary>The track's first frame on the room clock (long.MaxValue: none).</summary>
        public long First { get; set; } = long.MaxValue;

        /// <summary>Where the track begins in the files: its participant's common start.</summary>
        public long StartAt { get; set; }

        /// <summary>A simulcast producer's layer journals, lowest first, read as one stream; null for one journal.</summary>
        public TrackPlan[]? Layers { get; init; }
    }
}
