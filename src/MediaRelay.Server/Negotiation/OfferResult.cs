using MediaRelay.Server.Media;
using MediaRelay.Sfu;

namespace MediaRelay.Server.Negotiation;

/// <summary>A consumer the answer promised (its SSRC is in the SDP); created when the answer is committed.</summary>
public sealed record PlannedConsumer(string Mid, Producer Producer, uint Ssrc, byte PayloadType, byte RedPayloadType = 0,
    uint RtxSsrc = 0, byte RtxPayloadType = 0);

/// <summary>
/// The outcome of answering one offer: the answer text and the changes to apply once it has been sent
/// (or the error to report instead).
/// </summary>
public sealed class OfferResult
{
    public string? AnswerSdp { get; set; }
    public string? Error { get; init; }
    public string? ErrorCode { get; init; }
    /// <summary>The header extension ids the answer accepted (one id space for the BUNDLE transport).</summary>
    public PeerExtensions Extensions { get; set; } = PeerExtensions.None;

    public List<Producer> NewProducers { get; } = [];
    public List<Producer> ClosedProducers { get; } = [];
    public List<PlannedConsumer> NewConsumers { get; } = [];
    public List<Consumer> ClosedConsumers { get; } = [];

    public static OfferResult Fail(string code, string error) => new() { ErrorCode = code, Error = error };
}
