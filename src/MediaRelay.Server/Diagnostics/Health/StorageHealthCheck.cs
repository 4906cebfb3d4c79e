using MediaRelay.Server.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MediaRelay.Server.Diagnostics.Health;

/// <summary>
/// Ready: the data directory (catalog, keys) and the recording directory take a write. A node that cannot write
/// them must not get new consultations: consent, the audit trail and recordings would be lost.
/// </summary>
internal sealed class StorageHealthCheck(IOptions<MediaRelayOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        MediaRelayOptions o = options.Value;
        string data = Path.GetFullPath(o.DataDirectory);
        string recordings = Path.GetFullPath(o.Recording.Directory ?? Path.Combine(o.DataDirectory, "recordings"));
        foreach (string directory in new[] { data, recordings }.Distinct(StringComparer.Ordinal))
        {
            string probe = Path.Combine(directory, ".ready-" + Environment.ProcessId);
            try
            {
                Directory.CreateDirectory(directory);
                File.WriteAllBytes(probe, [1]);
                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"{directory} is not writable: {e.Message}"));
            }
        }
        return Task.FromResult(HealthCheckResult.Healthy());
    }
}
