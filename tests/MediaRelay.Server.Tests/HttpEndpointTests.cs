using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MediaRelay.Server.Security;
using Microsoft.AspNetCore.WebUtilities;

namespace MediaRelay.Server.Tests;

/// <summary>The HTTP surface of the running host, called over loopback.</summary>
public class HttpEndpointTests
{
    private static HttpClient ClientFor(RunningHost host) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };

    [Fact]
    public async Task Room_without_token_from_loopback_in_development_redirects_with_a_valid_token()
    {
        await using RunningHost host = await RunningHost.StartAsync();
        using HttpClient http = ClientFor(host);

        HttpResponseMessage response = await http.GetAsync("/room/abc?name=Dr%20X&lang=de");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Uri location = new(host.BaseAddress, response.Headers.Location!);
        Assert.Equal("/room/abc", location.AbsolutePath);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("Dr X", query["name"].ToString());
        Assert.Equal("de", query["lang"].ToString());
        Assert.Equal(JoinTokenStatus.Valid, host.Tokens.Validate(query["token"], "abc", out JoinToken? token));
        Assert.Equal(("abc", "Dr X"), (token!.RoomId, token.Name));
        Assert.Equal(JoinTokenStatus.WrongRoom, host.Tokens.Validate(query["token"], "abd", out _));
    }

    [Fact]
    public async Task Room_without_name_gets_a_guest_name()
    {
        await using RunningHost host = await RunningHost.StartAsync();
        using HttpClient http = ClientFor(host);

        HttpResponseMessage response = await http.GetAsync("/room/abc");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = QueryHelpers.ParseQuery(new Uri(host.BaseAddress, response.Headers.Location!).Query);
        Assert.StartsWith("Guest ", query["name"].ToString());
        Assert.Equal(JoinTokenStatus.Valid, host.Tokens.Validate(query["token"], "abc", out _));
    }

    [Fact]
    public async Task Room_without_token_is_401_when_development_tokens_are_off()
    {
        await using RunningHost host = await RunningHost.StartAsync("--MediaRelay:Auth:DevelopmentTokens=false");
        using HttpClient http = ClientFor(host);

        HttpResponseMessage response = await http.GetAsync("/room/abc");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("join token", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Room_without_token_is_401_in_production()
    {
        await using RunningHost host = await RunningHost.StartAsync("--environment", "Production");
        using HttpClient http = ClientFor(host);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/room/abc")).StatusCode);
    }

    [Theory]
    [InlineData("bad!id")]
    [InlineData("a.b")]
    [InlineData("%C3%A9")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 65
    public async Task Invalid_room_id_is_400(string roomId)
    {
        await using RunningHost host = await RunningHost.StartAsync();
        using HttpClient http = ClientFor(host);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/room/" + roomId)).StatusCode);
    }

    [Fact]
    public async Task Health_is_200()
    {
        await using RunningHost host = await RunningHost.StartAsync();
        using HttpClient http = ClientFor(host);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Metrics_count_a_garbage_datagram_on_the_media_port()
    {
        // (Whether the instruments exist before any traffic is checked in a fresh process: FreshProcessMetricsTests.)
        await using RunningHost host = await RunningHost.StartAsync();
        using HttpClient http = ClientFor(host);
        const string series = "mediarelay_dropped_packets_total{reason=\"unknown_protocol\"}";
        double before = MetricValue(await http.GetStringAsync("/metrics"), series);

        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await udp.SendAsync(new byte[] { 0xFF, 1, 2, 3 }, host.Media.AnnouncedEndPoint);

        string text = "";
        for (int i = 0; i < 50 && MetricValue(text, series) <= before; i++)
        {
            await Task.Delay(100);
            text = await http.GetStringAsync("/metrics");
        }
        Assert.Equal(before + 1, MetricValue(text, series));
        Assert.Contains("mediarelay_received_packets_total", text);
        Assert.Contains("text/plain", (await http.GetAsync("/metrics")).Content.Headers.ContentType!.MediaType);
    }

    private static double MetricValue(string exposition, string series)
    {
        foreach (string line in exposition.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    [Fact]
    public async Task Token_api_from_loopback_in_development()
    {
        await using RunningHost host = await RunningHost.StartAsync();
        using HttpClient http = ClientFor(host);

        HttpResponseMessage response = await http.PostAsJsonAsync("/api/rooms/abc/tokens", new { name = "Dr X" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonObject body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        string token = (string)body["token"]!;
        Assert.Equal(JoinTokenStatus.Valid, host.Tokens.Validate(token, "abc", out JoinToken? issued));
        Assert.Equal("Dr X", issued!.Name);
        var url = new Uri((string)body["url"]!);
        Assert.Equal("/room/abc", url.AbsolutePath);
        Assert.Equal(host.BaseAddress.Port, url.Port);
        Assert.Equal(token, QueryHelpers.ParseQuery(url.Query)["token"].ToString());
        Assert.NotNull(body["expiresAt"]);
    }

    [Theory]
    [InlineData("{}", "bad-name")]
    [InlineData("{\"name\":\"\"}", "bad-name")]
    [InlineData("{\"name\":42}", null)] // fails: the (string?) cast throws, 500 instead of 400
    [InlineData("[\"Dr X\"]", null)] // fails likewise: indexing a JsonArray by name throws
    [InlineData("null", "bad-name")]
    [InlineData("not json", "bad-json")]
    public async Task Token_api_rejects_bad_bodies(string json, string? error)
    {
        await using RunningHost host = await RunningHost.StartAsync();
        using HttpClient http = ClientFor(host);

        HttpResponseMessage response = await http.PostAsync("/api/rooms/abc/tokens",
            new StringContent(json, new MediaTypeHeaderValue("application/json")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        if (error is not null)
        {
            Assert.Contains(error, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Token_api_with_an_api_key_needs_the_bearer_key()
    {
        await using RunningHost host = await RunningHost.StartAsync("--MediaRelay:Auth:ApiKey=s3cret-key");
        using HttpClient http = ClientFor(host);

        HttpResponseMessage anonymous = await http.PostAsJsonAsync("/api/rooms/abc/tokens", new { name = "Dr X" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/rooms/abc/tokens") { Content = JsonContent.Create(new { name = "Dr X" }) };
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "guess");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Post, "/api/rooms/abc/tokens") { Content = JsonContent.Create(new { name = "Dr X" }) };
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-key");
        HttpResponseMessage ok = await http.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        string token = (string)(await ok.Content.ReadFromJsonAsync<JsonObject>())!["token"]!;
        Assert.Equal(JoinTokenStatus.Valid, host.Tokens.Validate(token, "abc", out _));
    }

    [Fact]
    public async Task Token_api_in_production_without_api_key_is_401()
    {
        await using RunningHost host = await RunningHost.StartAsync("--environment", "Production");
        using HttpClient http = ClientFor(host);
        HttpResponseMessage response = await http.PostAsJsonAsync("/api/rooms/abc/tokens", new { name = "Dr X" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
