using MediaRelay.Server.Media;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MediaRelay.Server.Diagnostics.Health;

/// <summary>
/// Live and ready: the media socket is bound, its receive loop runs and the media loop ticks. A loop that has not
/// ticked for 5 s is stuck (ticks are due every 5 ms; the longest stalls measured under load are tens of ms).
/// </summary>
internal sealed class MediaPlaneHealthCheck(MediaServer media) : IHealthCheck
{
    private static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(5);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!media.IsRunning)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the media socket is not bound or its receive loop has ended"));
        }
        if (media.SinceLastTick is { } since && since > StuckAfter)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"the media loop has not ticked for {since.TotalSeconds:F1} s"));
        }
        return Task.FromResult(HealthCheckResult.Healthy($"media on {media.Socket.LocalEndPoint}"));
    }
}
