using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MediaRelay.Server.Diagnostics.Health;

/// <summary>
/// /healthz (liveness: restart the process when it fails) and /readyz (readiness: send new consultations here only
/// when it passes). Both answer 200 or 503 with a JSON body naming each check, its status and why.
/// </summary>
public static class HealthEndpoints
{
    private const string Live = "live";
    private const string Ready = "ready";

    public static void AddMediaRelayHealthChecks(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<MediaPlaneHealthCheck>("media", tags: [Live, Ready])
            .AddCheck<StorageHealthCheck>("storage", tags: [Ready])
            .AddCheck<ShutdownHealthCheck>("shutdown", tags: [Ready]);

    public static void MapMediaRelayHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", Options(Live));
        app.MapHealthChecks("/readyz", Options(Ready));
    }

    private static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = WriteAsync,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
    };

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString().ToLowerInvariant(),
                description = e.Value.Description,
            }),
        };
        return http.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
