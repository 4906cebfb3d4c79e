using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace MediaRelay.LoadTest.Janus;

/// <summary>
/// Janus REST plumbing: POST a JSON request with a random transaction, read the reply, turn Janus errors
/// (<c>"janus":"error"</c>, plugindata <c>error_code</c>) into <see cref="JanusException"/>.
/// </summary>
internal static class JanusRest
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static string NewTransaction() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Adds a transaction, POSTs, and returns the reply unless it is a core error.</summary>
    public static async Task<JsonObject> PostAsync(
        HttpClient http, Uri uri, JsonObject request, CancellationToken ct, string? name = null)
    {
        name ??= request["janus"]?.GetValue<string>() ?? "request";
        if (request["transaction"] is null)
        {
            request["transaction"] = NewTransaction();
        }

        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = Json;
        using HttpResponseMessage response = await http.PostAsync(uri, content, ct).ConfigureAwait(false);
        string text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (JsonNode.Parse(text) is not JsonObject reply)
        {
            throw new JanusException($"Janus answered '{name}' with HTTP {(int)response.StatusCode} and no JSON object: {text}");
        }

        if (reply["janus"]?.GetValue<string>() == "error")
        {
            throw ErrorOf(reply, name);
        }

        return reply;
    }

    /// <summary>{"janus":"error","error":{"code":458,"reason":"No such session 123"}}</summary>
    public static JanusException ErrorOf(JsonObject reply, string request)
    {
        JsonNode? error = reply["error"];
        int code = error?["code"] is JsonValue c && c.TryGetValue(out int v) ? v : 0;
        string reason = error?["reason"]?.GetValue<string>() ?? reply.ToJsonString();
        return new JanusException(code, reason, request);
    }

    /// <summary>data.id of a "success" reply (session or handle id).</summary>
    public static long DataId(JsonObject reply, string request)
    {
        if (reply["data"]?["id"] is JsonValue id && id.TryGetValue(out long value))
        {
            return value;
        }

        throw new JanusException($"Janus answered '{request}' without data.id: {reply.ToJsonString()}");
    }

    public static JsonObject? PluginData(JsonObject reply) => reply["plugindata"]?["data"] as JsonObject;

    /// <summary>VideoRoom errors: {"videoroom":"event","error_code":428,"error":"No such feed (1234)"}.</summary>
    public static void ThrowIfPluginError(JsonObject reply, string request)
    {
        JsonObject? data = PluginData(reply);
        if (data?["error_code"] is JsonValue code && code.TryGetValue(out int value))
        {
            throw new JanusException(value, data["error"]?.GetValue<string>() ?? "(no reason)", request);
        }

        if (reply["janus"]?.GetValue<string>() == "error")
        {
            throw ErrorOf(reply, request);
        }
    }

    public static long RequiredLong(JsonObject data, string property, string request)
    {
        if (data[property] is JsonValue v && v.TryGetValue(out long value))
        {
            return value;
        }

        throw new JanusException($"Janus answered '{request}' without '{property}': {data.ToJsonString()}");
    }

    public static string JsepSdp(JsonObject evt, string expectedType, string request)
    {
        JsonNode? jsep = evt["jsep"];
        string? type = jsep?["type"]?.GetValue<string>();
        string? sdp = jsep?["sdp"]?.GetValue<string>();
        if (type != expectedType || string.IsNullOrEmpty(sdp))
        {
            throw new JanusException($"Janus answered '{request}' without a jsep {expectedType}: {evt.ToJsonString()}");
        }

        return sdp;
    }
}
