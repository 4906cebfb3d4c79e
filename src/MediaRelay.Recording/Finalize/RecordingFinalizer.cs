using MediaRelay.Recording.Crypto;
using MediaRelay.Recording.Journal;
using MediaRelay.Recording.Media;
using MediaRelay.Recording.Native;

namespace MediaRelay.Recording.Finalize;

/// <summary>
/// Turns a recording's journals (complete, or cut short by a crash) into standard files: one per participant
/// (WebM for VP8 + Opus, MP4 for H.264 + Opus) and one Matroska file for the room with every track. All tracks share
/// one clock: RTCP sender reports align the tracks of a participant, arrival times place the participants, and
/// the earliest frame of the recording is time 0. Every video starts at a key frame; gaps stay gaps. With an output
/// key, each file is then sealed in the chunked AES-GCM format and the plaintext removed.
/// </summary>
public sealed class RecordingFinalizer(IReadOnlyList<RecordingKey> journalKeys, RecordingKey? outputKey)
{
    public const string JournalExtension = ".mrj";

    public FinalizedRecording Finalize(string journalDirectory, string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        string[] journals = [.. Directory.GetFiles(journalDirectory, "*" + JournalExtension).Order(StringComparer.Ordinal)];
        var room = new RoomTimeline();
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
            TrackTimeline timeline = room.AddTrack(metadata.ParticipantId, metadata.ClockRate);
            TrackFrameSource.LoadSenderReports(path, journalKeys, timeline);
            tracks.Add(new TrackPlan(path, metadata, timeline));
        }
        if (tracks.Count == 0)
        {
            return new FinalizedRecording([], TimeSpan.Zero, []);
        }

        // The room file first: its pass over every track also yields the origin-independent figures.
        (long origin, long end) = Span(tracks);
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
        return new FinalizedRecording(files, TimeSpan.FromTicks((end - origin) * 10), summaries);
    }

    /// <summary>The first and last frame times over all tracks (a pass that decodes nothing, only assembles frames).</summary>
    private (long Origin, long End) Span(List<TrackPlan> tracks)
    {
        long origin = long.MaxValue, end = long.MinValue;
        foreach (TrackPlan track in tracks)
        {
            using var source = new TrackFrameSource(track.Path, journalKeys, track.Timeline);
            while (source.MoveNext())
            {
                origin = Math.Min(origin, source.Time);
                end = Math.Max(end, source.Time);
            }
        }
        return origin == long.MaxValue ? (0, 0) : (origin, end);
    }

    private FinalizedFile Write(string path, string scope, MediaContainer container, IReadOnlyList<TrackPlan> tracks,
        long origin, List<FinalizedTrack>? summaries)
    {
        string temporary = path + ".part";
        var sources = new List<TrackFrameSource>();
        try
        {
            var muxer = new MediaMuxer(temporary, container);
            try
            {
                var streams = new List<(TrackFrameSource Source, int Stream, bool Live)>();
                foreach (TrackPlan track in tracks)
                {
                    var source = new TrackFrameSource(track.Path, journalKeys, track.Timeline);
                    sources.Add(source);
                    if (!source.MoveNext())
                    {
                        continue; // a track without a single whole frame (e.g. no key frame arrived)
                    }
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

    private sealed record TrackPlan(string Path, TrackJournalMetadata Metadata, TrackTimeline Timeline);
}
