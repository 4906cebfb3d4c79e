namespace MediaRelay.LoadTest.Janus;

/// <summary>A VideoRoom subscriber handle and Janus's SDP offer (one PeerConnection carrying every requested feed).</summary>
public sealed record JanusSubscriber(long Handle, string OfferSdp);
