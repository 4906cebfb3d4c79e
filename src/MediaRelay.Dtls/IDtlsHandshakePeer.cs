namespace MediaRelay.Dtls;

/// <summary>What <see cref="DtlsSession"/> reads back from our BC client or server after the handshake.</summary>
internal interface IDtlsHandshakePeer
{
    /// <summary>SRTP keys, set when the handshake completed.</summary>
    DtlsSrtpKeys? Keys { get; }

    /// <summary>Our own reason for a fatal alert we raised (e.g. fingerprint mismatch), if any.</summary>
    string? FailureReason { get; }
}
