using System.Net;
using MediaRelay.Server.Options;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace MediaRelay.Server.Security;

/// <summary>
/// Who may call the REST API: the bearer of MediaRelay:Auth:ApiKey; without a configured key, loopback callers
/// while development tokens are on (development by default).
/// </summary>
internal static class ApiAuthorization
{
    /// <summary>True for a loopback caller while development tokens are enabled.</summary>
    public static bool IsDevelopmentLoopback(HttpContext http, MediaRelayOptions options, IWebHostEnvironment env)
    {
        bool enabled = options.Auth.DevelopmentTokens ?? env.IsDevelopment();
        IPAddress? remote = http.Connection.RemoteIpAddress;
        return enabled && remote is not null && IPAddress.IsLoopback(remote);
    }

    /// <summary>Whether the caller may use the API, and the name the audit trail records for it.</summary>
    public static bool IsAuthorized(HttpContext http, MediaRelayOptions options, IWebHostEnvironment env, out string actor)
    {
        string? apiKey = options.Auth.ApiKey;
        if (!string.IsNullOrEmpty(apiKey))
        {
            actor = "api-key";
            return BearerToken.Matches(http.Request, apiKey);
        }
        actor = "dev-loopback";
        return IsDevelopmentLoopback(http, options, env);
    }
}
