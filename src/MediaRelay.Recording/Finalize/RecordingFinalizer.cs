using MediaRelay.Recording.Crypto;
using MediaRelay.Recording.Journal;
using MediaRelay.Recording.Media;
using MediaRelay.Recording.Native;

namespace MediaRelay.Recording.Finalize;

/// <summary>
/// Turns a recording's journals (complete, or cut short by a crash) into standard files: one per participant
/// (WebM for VP8 + Opus, MP4 for H.264 + Opus) and one Matroska file for the room with every track. All tracks share
/// one clock: RTCP sender reports align the tracks of a participant, arrival times place the participants. A
/// participant's audio and video begin together, at the later of their first frames (video's first is a key frame),
/// and the earliest participant start is time 0. Gaps stay gaps. With an output
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
        if (tracks.Count == 0)
        {
            return new FinalizedRecording([], TimeSpan.Zero, []);
        }
        _all = tracks;

        // A participant's audio and video start together: audio from the later of their first frames (video's first
        // is a key frame), video from its first key frame; the earliest start is the recording's time 0.
        long end = Span(tracks);
        foreach (IGrouping<string, TrackPlan> participant in tracks.Where(t => t.Metadata.Source != TrackSource.Screen && t.First != long.MaxValue)
                     .GroupBy(t => t.Metadata.ParticipantId))
        {
            long start = participant.Max(t => t.First);
            foreach (TrackPlan track in participant)
            {
                track.StartAt = track.Metadata.Kind == TrackMediaKind.Video ? track.First : start; // see Write
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
            using var source = new TrackFrameSource(track.Path, journalKeys, timelines[track]);
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
        foreach (TrackPlan track in tracks)
        {
            TrackTimeline timeline = room.AddTrack(track.Metadata.ParticipantId, track.Metadata.ClockRate);
            TrackFrameSource.LoadSenderReports(track.Path, journalKeys, timeline);
            timelines[track] = timeline;
        }
        return timelines;
    }

    /// <summary>From the current frame on, the first at or after <paramref name="startAt"/> (a key frame for video).</summary>
    private static bool AdvanceTo(TrackFrameSource source, long startAt)
    {
        if (source.Time >= startAt && (!source.IsVideo || source.IsKeyframe))
        {
            return true;
        }
        return MoveToStart(source, startAt);
    }

    /// <summary>Advances to the track's first frame at or after its start (a key frame for video); false if none.</summary>
    private static bool MoveToStart(TrackFrameSource source, long startAt)
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
        var sources = new List<TrackFrameSource>();
        try
        {
            var muxer = new MediaMuxer(temporary, container);
            try
            {
                var streams = new List<(TrackFrameSource Source, int Stream, bool Live)>();
                var positioned = new List<(TrackPlan Track, TrackFrameSource Source)>();
                foreach (TrackPlan track in tracks)
                {
                    var source = new TrackFrameSource(track.Path, journalKeys, timelines[track]);
                    sources.Add(source);
                    if (MoveToStart(source, long.MinValue))
                    {
                        positioned.Add((track, source)); // else: no whole frame at all (e.g. no key frame arrived)
                    }
                }
                // A participant's audio and video begin together: audio from the video's first key frame (or from its
                // own first frame when that is later), decided here on the very frames this pass writes.
                foreach (var group in positioned.Where(p => p.Track.Metadata.Source != TrackSource.Screen).GroupBy(p => p.Track.Metadata.ParticipantId).ToList())
                {
                    long start = Math.Max(group.Max(p => p.Source.Time), group.Max(p => p.Track.StartAt));
                    foreach (var (_, source) in group)
                    {
                        // Audio waits for the video's first key frame; video is never pushed to a later key frame
                        // because audio began a few ms after it (that would cost a whole key-frame interval).
                        if (source.IsVideo)
                        {
                            continue;
                        }
                        if (!AdvanceTo(source, start))
                        {
                            positioned.RemoveAll(p => p.Source == source);
                        }
                    }
                }
                foreach (var (track, source) in positioned)
                {
                    int stream = source.IsVideo
                        ? muxer.AddVideo(CodecOf(source.Metadata.Codec), Math.Max(source.Width, 16), Math.Max(source.Height, 16))
                        : muxer.AddAudio(MediaCodec.Opus, source.Metadata.ClockRate, Math.Max(1, source.Metadata.Channels));
                    streams.Add((source, stream, true));
                }
                muxer.Begin();
                // Merge by time: always the earliest current frame of any track.
                while (true)
                {
                    int next = -1;
                    for (int i = 0; i < streams.Count; i++)
                    {
                        if (streams[i].Live && (next < 0 || streams[i].Source.Time < streams[next].Source.Time))
                        {
                            next = i;
                        }
                    }
                    if (next < 0)
                    {
                        break;
                    }
                    TrackFrameSource source = streams[next].Source;
                    muxer.Write(streams[next].Stream, Math.Max(0, source.Time - origin), source.IsKeyframe, source.Frame);
                    if (!source.MoveNext())
                    {
                        streams[next] = streams[next] with { Live = false };
                    }
                }
                muxer.Finish();
            }
            finally
            {
                muxer.Dispose();
            }
            summaries?.AddRange(sources.Select(s => new FinalizedTrack(s.Metadata.TrackId, s.Metadata.ParticipantId,
                s.Metadata.Kind.ToString().ToLowerInvariant(), s.Metadata.Codec, s.Frames, s.LostPackets, s.Truncated)));
        }
        finally
        {
            foreach (TrackFrameSource source in sources)
            {
                source.Dispose();
            }
        }
        return Seal(temporary, path, scope, container);
    }

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

    private sealed record TrackPlan(string Path, TrackJournalMetadata Metadata)
    {
        /// <summary>The track's first frame on the room clock (long.MaxValue: none).</summary>
        public long First { get; set; } = long.MaxValue;

        /// <summary>Where the track begins in the files: its participant's common start.</summary>
        public long StartAt { get; set; }
    }
}
