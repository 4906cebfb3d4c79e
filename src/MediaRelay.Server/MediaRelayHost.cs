using System.Text.Json.Nodes;
using MediaRelay.Server.Diagnostics;
using MediaRelay.Server.Diagnostics.Health;
using MediaRelay.Server.Media;
using MediaRelay.Server.Negotiation;
using MediaRelay.Server.Options;
using MediaRelay.Server.Rooms;
using MediaRelay.Server.Security;
using MediaRelay.Server.Signaling;
using Microsoft.Extensions.Options;
using Prometheus;

namespace MediaRelay.Server;

/// <summary>Builds the ASP.NET Core host: media plane as a hosted service, signaling, the page, REST and metrics.</summary>
public static partial class MediaRelayHost
{
    public static WebApplication Build(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.Services.Configure<MediaRelayOptions>(builder.Configuration.GetSection(MediaRelayOptions.SectionName));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<BadInputLog>();
        builder.Services.AddSingleton<MediaServer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MediaServer>());
        builder.Services.AddSingleton<RoomRegistry>();
        builder.Services.AddSingleton<OfferAnswerer>();
        builder.Services.AddSingleton(sp => new JoinTokenService(
            SigningKeyStore.Load(sp.GetRequiredService<IOptions<MediaRelayOptions>>().Value),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<Recording.RecordingManager>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Recording.RecordingManager>());
        builder.Services.AddMediaRelayHealthChecks();
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "MediaRelay API";
            document.Info.Description = "Join tokens and consultation recordings (consent, start, stop, catalog, download).";
            return Task.CompletedTask;
        }));

        MediaMetrics.EnsureRegistered(); // export every series from the first scrape, zeros included
        RecordingMetrics.EnsureRegistered();
        WebApplication app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        app.UseStaticFiles();
        app.UseMetricsAuthorization(); // before /metrics is mapped: a configured token guards it
        MapEndpoints(app);
        app.Lifetime.ApplicationStarted.Register(() => PrintLinks(app));
        return app;
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapGet("/", () => Results.Redirect("/room/consultation"));
        app.MapGet("/favicon.ico", () => Results.NoContent());
        app.MapGet("/room/{roomId}", ServeRoomPage);
        app.MapPost("/api/rooms/{roomId}/tokens", IssueToken);
        app.Map("/ws", HandleWebSocket);
        Recording.RecordingEndpoints.Map(app);
        app.MapMediaRelayHealthChecks(); // /healthz, /readyz
        app.MapOpenApi(); // /openapi/v1.json
        app.MapMetrics("/metrics");
    }

    /// <summary>The consultation page. In development a loopback visitor without a token is given one.</summary>
    private static IResult ServeRoomPage(string roomId, HttpContext http, JoinTokenService tokens,
        IOptions<MediaRelayOptions> options, IWebHostEnvironment env)
    {
        if (!RoomRegistry.IsValidRoomId(roomId))
        {
            return Results.BadRequest("Room ids are 1-64 letters, digits, '-' or '_'.");
        }
        string? token = http.Request.Query["token"];
        if (string.IsNullOrEmpty(token))
        {
            if (!ApiAuthorization.IsDevelopmentLoopback(http, options.Value, env))
            {
                return Results.Content(
                    "<!doctype html><meta charset=utf-8><title>MediaRelay</title><p>This consultation link needs a join token. Ask the organiser for a new link.</p>",
                    "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
            }
            string name = http.Request.Query["name"].ToString();
            if (string.IsNullOrWhiteSpace(name))
            {
                name = "Guest " + Random.Shared.Next(1000, 9999);
            }
            name = name.Length > 64 ? name[..64] : name;
            string issued = tokens.Issue(roomId, name, options.Value.Auth.TokenLifetime);
            string query = $"?name={Uri.EscapeDataString(name)}&token={Uri.EscapeDataString(issued)}";
            string lang = http.Request.Query["lang"].ToString();
            if (!string.IsNullOrEmpty(lang))
            {
                query += "&lang=" + Uri.EscapeDataString(lang);
            }
            return Results.Redirect($"/room/{roomId}{query}");
        }
        string page = Path.Combine(env.WebRootPath, "room.html");
        return Results.File(page, "text/html; charset=utf-8");
    }

    /// <summary>POST /api/rooms/{roomId}/tokens {"name": "..."} → {"token", "url", "expiresAt"} (Bearer Auth:ApiKey).</summary>
    private static async Task<IResult> IssueToken(string roomId, HttpContext http, JoinTokenService tokens,
        IOptions<MediaRelayOptions> options, IWebHostEnvironment env, TimeProvider time)
    {
        MediaRelayOptions o = options.Value;
        if (!ApiAuthorization.IsAuthorized(http, o, env, out _))
        {
            return Results.Unauthorized();
        }
        if (!RoomRegistry.IsValidRoomId(roomId))
        {
            return Results.BadRequest(new { error = "bad-room" });
        }
        JsonNode? body = null;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body);
        }
        catch (System.Text.Json.JsonException)
        {
            return Results.BadRequest(new { error = "bad-json" });
        }
        string? name = body is JsonObject request && request["name"] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64)
        {
            return Results.BadRequest(new { error = "bad-name" });
        }
        string token = tokens.Issue(roomId, name, o.Auth.TokenLifetime);
        string url = $"{http.Request.Scheme}://{http.Request.Host}/room/{roomId}?name={Uri.EscapeDataString(name)}&token={Uri.EscapeDataString(token)}";
        return Results.Ok(new { token, url, expiresAt = time.GetUtcNow().Add(o.Auth.TokenLifetime) });
    }

    private static async Task HandleWebSocket(HttpContext http, JoinTokenService tokens, RoomRegistry rooms,
        MediaServer media, OfferAnswerer answerer, Recording.RecordingManager recordings, ILoggerFactory loggers)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var session = new SignalingSession(new SignalingConnection(socket), tokens, rooms, media, answerer, recordings,
            loggers.CreateLogger<SignalingSession>());
        await session.RunAsync(http.RequestAborted);
    }

    private static void PrintLinks(WebApplication app)
    {
        var env = app.Services.GetRequiredService<IWebHostEnvironment>();
        var options = app.Services.GetRequiredService<IOptions<MediaRelayOptions>>().Value;
        // With JSON logs (--Logging:Console:FormatterName=json) every line on stdout is a JSON object: the link too.
        bool json = string.Equals(app.Configuration["Logging:Console:FormatterName"], "json", StringComparison.OrdinalIgnoreCase);
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MediaRelay.Server");
        foreach (string url in app.Urls)
        {
            string baseUrl = url.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
            string line = options.Auth.DevelopmentTokens ?? env.IsDevelopment()
                ? $"MediaRelay is running. Open this link to join a consultation: {baseUrl}/room/consultation?name=Doctor"
                : $"MediaRelay is running on {baseUrl} (join links need tokens: POST {baseUrl}/api/rooms/ROOM/tokens)";
            if (json)
            {
                LogRunning(logger, line);
            }
            else
            {
                Console.WriteLine(line);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogRunning(ILogger logger, string line);
}
