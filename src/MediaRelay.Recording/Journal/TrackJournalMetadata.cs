using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using MediaRelay.Recording.Crypto;

namespace MediaRelay.Recording.Journal;

/// <summary>
/// What a track journal records, stored as the UTF-8 JSON header record:
/// <code>
/// {"version":1,"recordingId":"...","trackId":"...","participantId":"...","participantName":"...",
///  "kind":"video","source":"camera","codec":"VP8","payloadType":96,"clockRate":90000,"channels":0,
///  "ssrc":12345,"startedAt":"2025-01-01T10:00:00.0000000+00:00"}
/// </code>
/// Channels is 0 for video. Strings are written unescaped where JSON allows (UTF-8, never HTML-embedded).
/// Unknown JSON members are ignored, so fields can be added.
/// </summary>
public sealed class TrackJournalMetadata
{
    public required string RecordingId { get; init; }
    public required string TrackId { get; init; }
    public required string ParticipantId { get; init; }
    public string ParticipantName { get; init; } = "";
    public required TrackMediaKind Kind { get; init; }
    public required TrackSource Source { get; init; }

    /// <summary>Codec name as in SDP rtpmap: "VP8", "H264", "opus".</summary>
    public required string Codec { get; init; }
    public required int PayloadType { get; init; }

    /// <summary>
    /// The payload type of RFC 2198 redundant audio wrapping this codec when the publisher sends it (browsers send
    /// Opus inside RED), or 0 for none. Packets with it are unwrapped when the journal is finalized.
    /// </summary>
    public int RedPayloadType { get; init; }

    public required int ClockRate { get; init; }

    /// <summary>
    /// The producer this track records, when it records one simulcast layer of several (RFC 8853): the finalizer
    /// makes one video stream of a producer's layers. Null for a track that is the producer's only journal.
    /// </summary>
    public string? ProducerId { get; init; }

    /// <summary>The simulcast layer (0 = lowest) of <see cref="ProducerId"/> this journal holds.</summary>
    public int Layer { get; init; }
    public int Channels { get; init; }
    public required uint Ssrc { get; init; }

    /// <summary>When the track's recording started (wall clock, UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    public byte[] ToUtf8Json()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("version", 1);
            json.WriteString("recordingId", RecordingId);
            json.WriteString("trackId", TrackId);
            json.WriteString("participantId", ParticipantId);
            json.WriteString("participantName", ParticipantName);
            json.WriteString("kind", Kind == TrackMediaKind.Audio ? "audio" : "video");
            json.WriteString("source", Source switch
            {
                TrackSource.Camera => "camera",
                TrackSource.Microphone => "microphone",
                _ => "screen",
            });
            json.WriteString("codec", Codec);
            json.WriteNumber("payloadType", PayloadType);
            if (RedPayloadType != 0)
            {
                json.WriteNumber("redPayloadType", RedPayloadType);
            }
            json.WriteNumber("clockRate", ClockRate);
            if (ProducerId is not null)
            {
                json.WriteString("producerId", ProducerId);
                json.WriteNumber("layer", Layer);
            }
            json.WriteNumber("channels", Channels);
            json.WriteNumber("ssrc", Ssrc);
            json.WriteString("startedAt", StartedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses the header record body.</summary>
    /// <exception cref="RecordingFormatException">Not valid metadata JSON.</exception>
    public static TrackJournalMetadata FromUtf8Json(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            return new TrackJournalMetadata
            {
                RecordingId = GetString(root, "recordingId"),
                TrackId = GetString(root, "trackId"),
                ParticipantId = GetString(root, "participantId"),
                ParticipantName = root.TryGetProperty("participantName", out JsonElement name) ? name.GetString() ?? "" : "",
                Kind = GetString(root, "kind") switch
                {
                    "audio" => TrackMediaKind.Audio,
                    "video" => TrackMediaKind.Video,
                    _ => throw Invalid("kind"),
                },
                Source = GetString(root, "source") switch
                {
                    "camera" => TrackSource.Camera,
                    "microphone" => TrackSource.Microphone,
                    "screen" => TrackSource.Screen,
                    _ => throw Invalid("source"),
                },
                Codec = GetString(root, "codec"),
                PayloadType = root.GetProperty("payloadType").GetInt32(),
                RedPayloadType = root.TryGetProperty("redPayloadType", out JsonElement red) ? red.GetInt32() : 0,
                ClockRate = root.GetProperty("clockRate").GetInt32(),
                ProducerId = root.TryGetProperty("producerId", out JsonElement producer) ? producer.GetString() : null,
                Layer = root.TryGetProperty("layer", out JsonElement layer) ? layer.GetInt32() : 0,
                Channels = root.TryGetProperty("channels", out JsonElement channels) ? channels.GetInt32() : 0,
                Ssrc = root.GetProperty("ssrc").GetUInt32(),
                StartedAt = DateTimeOffset.Parse(GetString(root, "startedAt"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new RecordingFormatException(RecordingFormatError.InvalidContent, $"Invalid track journal header: {e.Message}", e);
        }
    }

    private static string GetString(JsonElement root, string name) =>
        root.GetProperty(name).GetString() ?? throw Invalid(name);

    private static FormatException Invalid(string name) => new($"'{name}' is missing or has an unknown value.");
}
