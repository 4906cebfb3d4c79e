using System.Text.Json.Nodes;
using MediaRelay.Recording.Catalog;
using MediaRelay.Server.Options;
using MediaRelay.Server.Rooms;
using MediaRelay.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MediaRelay.Server.Recording;

/// <summary>
/// The recording REST API (Bearer MediaRelay:Auth:ApiKey; in development also loopback callers without a key):
/// POST /api/rooms/{roomId}/recordings, POST /api/recordings/{id}/stop, GET /api/recordings,
/// GET /api/recordings/{id}, GET /api/recordings/{id}/files/{name}, POST /api/rooms/{roomId}/consent.
/// </summary>
public static class RecordingEndpoints
{
    public static void Map(WebApplication app)
    {
        RouteGroupBuilder api = app.MapGroup("/api").WithTags("Recordings");
        api.MapPost("/rooms/{roomId}/recordings", StartAsync).WithName("StartRecording")
            .WithSummary("Start recording a room")
            .WithDescription("Needs every participant's consent, or a body {\"operator\", \"reason\"} recording an operator's out-of-band consent. 201 with the recording; 409 consent-missing (naming who) or already-recording; 404 when nobody is in the room.");
        api.MapPost("/recordings/{id}/stop", Stop).WithName("StopRecording")
            .WithSummary("Stop a recording").WithDescription("The files are finalized in the background; poll GET /api/recordings/{id} until state is complete.");
        api.MapGet("/recordings", List).WithName("ListRecordings").WithSummary("List recordings, newest first (optional ?room=)");
        api.MapGet("/recordings/{id}", Get).WithName("GetRecording").WithSummary("A recording with its tracks, files and audit trail");
        api.MapGet("/recordings/{id}/files/{name}", Download).WithName("DownloadRecordingFile")
            .WithSummary("Download a finished file").WithDescription("Decrypted as it streams when stored encrypted; every download is audited.");
        api.MapPost("/rooms/{roomId}/consent", ConsentAsync).WithName("RecordOperatorConsent")
            .WithSummary("Record consent given outside the page").WithDescription("Body {\"participantId\", \"operator\", \"reason\"}; the reason is required.");
    }

    /// <summary>Body (optional): {"operator": "name", "reason": "why"}: an operator records out-of-band consent.</summary>
    private static async Task<IResult> StartAsync(string roomId, HttpContext http, RecordingManager recordings, RoomRegistry rooms,
        IOptions<MediaRelayOptions> options, IWebHostEnvironment env)
    {
        if (!ApiAuthorization.IsAuthorized(http, options.Value, env, out string actor))
        {
            return Results.Unauthorized();
        }
        JsonObject? body = await ReadBodyAsync(http);
        string? operatorName = (string?)body?["operator"];
        string? reason = (string?)body?["reason"];
        StartOutcome outcome = recordings.Start(roomId, actor, operatorName, reason, out RecordingEntry? entry);
        return outcome switch
        {
            StartOutcome.Started => Results.Created($"/api/recordings/{entry!.Id}", Describe(entry, recordings)),
            StartOutcome.NoSuchRoom => Results.NotFound(new { error = "no-such-room", message = "Nobody is in that room." }),
            StartOutcome.AlreadyRecording => Results.Conflict(new { error = "already-recording" }),
            _ => Results.Conflict(new
            {
                error = "consent-missing",
                message = "Every participant must consent first (in the page), or an operator records consent with a reason.",
                missing = rooms.TryGet(roomId, out ConsultationRoom room) ? recordings.MissingConsent(room).Select(p => p.Name).ToArray() : [],
            }),
        };
    }

    private static IResult Stop(string id, HttpContext http, RecordingManager recordings, IOptions<MediaRelayOptions> options, IWebHostEnvironment env)
    {
        if (!ApiAuthorization.IsAuthorized(http, options.Value, env, out string actor))
        {
            return Results.Unauthorized();
        }
        if (!recordings.Stop(id, actor))
        {
            return recordings.Catalog.Find(id) is null ? Results.NotFound(new { error = "no-such-recording" }) : Results.Conflict(new { error = "not-recording" });
        }
        return Results.Ok(Describe(recordings.Catalog.Find(id)!, recordings));
    }

    private static IResult List(HttpContext http, RecordingManager recordings, IOptions<MediaRelayOptions> options, IWebHostEnvironment env,
        string? room = null)
    {
        if (!ApiAuthorization.IsAuthorized(http, options.Value, env, out _))
        {
            return Results.Unauthorized();
        }
        return Results.Ok(recordings.Catalog.List(roomId: room).Select(r => Describe(r, recordings)).ToArray());
    }

    private static IResult Get(string id, HttpContext http, RecordingManager recordings, IOptions<MediaRelayOptions> options, IWebHostEnvironment env)
    {
        if (!ApiAuthorization.IsAuthorized(http, options.Value, env, out _))
        {
            return Results.Unauthorized();
        }
        RecordingEntry? entry = recordings.Catalog.Find(id);
        return entry is null ? Results.NotFound(new { error = "no-such-recording" }) : Results.Ok(Describe(entry, recordings, detailed: true));
    }

    private static IResult Download(string id, string name, HttpContext http, RecordingManager recordings, IOptions<MediaRelayOptions> options,
        IWebHostEnvironment env)
    {
        if (!ApiAuthorization.IsAuthorized(http, options.Value, env, out string actor))
        {
            return Results.Unauthorized();
        }
        Stream? stream = recordings.OpenFile(id, name, actor);
        if (stream is null)
        {
            return Results.NotFound(new { error = "no-such-file" });
        }
        string type = name.EndsWith(".webm", StringComparison.Ordinal) ? "video/webm"
            : name.EndsWith(".mp4", StringComparison.Ordinal) ? "video/mp4" : "video/x-matroska";
        return Results.Stream(stream, type, name);
    }

    /// <summary>{"participantId": "...", "operator": "name", "reason": "why"}: consent given outside the page.</summary>
    private static async Task<IResult> ConsentAsync(string roomId, HttpContext http, RecordingManager recordings, RoomRegistry rooms,
        IOptions<MediaRelayOptions> options, IWebHostEnvironment env)
    {
        if (!ApiAuthorization.IsAuthorized(http, options.Value, env, out _))
        {
            return Results.Unauthorized();
        }
        JsonObject? body = await ReadBodyAsync(http);
        string? participantId = (string?)body?["participantId"];
        string? operatorName = (string?)body?["operator"];
        string? reason = (string?)body?["reason"];
        if (string.IsNullOrWhiteSpace(operatorName) || string.IsNullOrWhiteSpace(reason))
        {
            return Results.BadRequest(new { error = "reason-required", message = "Operator consent needs \"operator\" and \"reason\"." });
        }
        if (!rooms.TryGet(roomId, out ConsultationRoom room))
        {
            return Results.NotFound(new { error = "no-such-room" });
        }
        Participant? participant = room.Participants.FirstOrDefault(p => p.Id == participantId);
        if (participant is null)
        {
            return Results.NotFound(new { error = "no-such-participant" });
        }
        recordings.RecordConsent(room, participant, "operator:" + operatorName, reason);
        return Results.NoContent();
    }

    private static object Describe(RecordingEntry r, RecordingManager recordings, bool detailed = false) => new
    {
        id = r.Id,
        room = r.RoomId,
        state = r.State.ToString().ToLowerInvariant(),
        startedAt = r.StartedAt,
        stoppedAt = r.StoppedAt,
        startedBy = r.StartedBy,
        stoppedBy = r.StoppedBy,
        consent = new { mode = r.ConsentMode, reason = r.ConsentReason },
        error = r.Error,
        durationSeconds = r.DurationMilliseconds / 1000.0,
        sizeBytes = r.SizeBytes,
        encrypted = r.KeyId is not null,
        tracks = detailed ? recordings.Catalog.Tracks(r.Id) : null,
        files = recordings.Catalog.Files(r.Id).Select(f => new { name = f.Name, scope = f.Scope, container = f.Container, sizeBytes = f.SizeBytes, url = $"/api/recordings/{r.Id}/files/{f.Name}" }),
        audit = detailed ? recordings.Catalog.AuditTrail(r.Id) : null,
    };

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength is 0 or null && !http.Request.Headers.ContainsKey("Transfer-Encoding"))
        {
            return null;
        }
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
