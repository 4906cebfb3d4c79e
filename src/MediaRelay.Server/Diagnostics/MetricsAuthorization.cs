using MediaRelay.Server.Options;
using MediaRelay.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MediaRelay.Server.Diagnostics;

/// <summary>
/// Guards GET /metrics with MediaRelay:Auth:MetricsToken when one is configured: a scrape without that bearer token
/// gets 401 with <c>WWW-Authenticate: Bearer</c> (RFC 6750 §3) and no metrics. Without a token the path is open, as
/// the operations guide says, for a private network or a guarding proxy. Health endpoints stay open: orchestrators
/// probe them without credentials and they reveal nothing about consultations.
/// </summary>
internal static class MetricsAuthorization
{
    public const string Path = "/metrics";

    public static IApplicationBuilder UseMetricsAuthorization(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase)
                && http.RequestServices.GetRequiredService<IOptions<MediaRelayOptions>>().Value.Auth.MetricsToken is { Length: > 0 } token
                && !BearerToken.Matches(http.Request, token))
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                http.Response.Headers.WWWAuthenticate = "Bearer realm=\"mediarelay-metrics\"";
                return;
            }
            await next(http);
        });
}
