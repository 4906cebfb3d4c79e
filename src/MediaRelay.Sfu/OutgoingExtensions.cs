namespace MediaRelay.Sfu;

/// <summary>
/// The header extensions a consumer's packets carry (RFC 8285 one-byte elements): a reserved transport-wide sequence
/// number when the subscriber negotiated transport-cc, and for video the playout-delay bounds when it negotiated
/// those. An id of 0 leaves the element out.
/// </summary>
internal readonly record struct OutgoingExtensions(int TransportCcId, int PlayoutDelayId, int PlayoutDelayMilliseconds)
{
    /// <summary>The upper bound we always announce: the receiver's own default (10 s), so only the minimum acts.</summary>
    public const int MaxPlayoutDelayMilliseconds = 10_000;
}
