using System.Text.Json.Nodes;

namespace MediaRelay.Server.Tests;

/// <summary>The REST API is described by an OpenAPI document the host serves.</summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task The_document_describes_the_token_and_recording_endpoints()
    {
        await using RunningHost host = await RunningHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        JsonObject document = (JsonObject)JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!;

        Assert.StartsWith("3.", (string?)document["openapi"]);
        Assert.Equal("MediaRelay API", (string?)document["info"]!["title"]);
        JsonObject paths = document["paths"]!.AsObject();
        foreach (string path in new[]
        {
            "/api/rooms/{roomId}/tokens", "/api/rooms/{roomId}/recordings", "/api/recordings/{id}/stop", "/api/recordings",
            "/api/recordings/{id}", "/api/recordings/{id}/files/{name}", "/api/rooms/{roomId}/consent",
        })
        {
            Assert.True(paths.ContainsKey(path), $"{path} is missing from the OpenAPI document");
        }
        Assert.Equal("Start recording a room", (string?)paths["/api/rooms/{roomId}/recordings"]!["post"]!["summary"]);
    }
}
