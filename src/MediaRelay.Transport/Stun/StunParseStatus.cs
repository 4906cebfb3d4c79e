namespace MediaRelay.Transport.Stun;

/// <summary>
/// Why <see cref="StunMessage.TryParse"/> accepted or rejected a datagram
/// (RFC 8489 §5 header checks, §14 attribute TLV framing).
/// </summary>
public enum StunParseStatus
{
    Ok = 0,

    /// <summary>Fewer than 20 bytes: no room for the STUN header.</summary>
    TooShort,

    /// <summary>The two most significant bits of the first byte are not zero (RFC 8489 §5).</summary>
    NotStun,

    /// <summary>Bytes 4..8 are not 0x2112A442.</summary>
    BadMagicCookie,

    /// <summary>The message length is not a multiple of 4.</summary>
    LengthNotMultipleOfFour,

    /// <summary>The message length runs past the end of the datagram.</summary>
    LengthExceedsDatagram,

    /// <summary>An attribute header or its padded value runs past the end of the message.</summary>
    AttributeOutOfBounds,

    /// <summary>MESSAGE-INTEGRITY or FINGERPRINT has the wrong value length.</summary>
    InvalidAttributeLength,

    /// <summary>An attribute follows FINGERPRINT, which must be last (RFC 8489 §14.7).</summary>
    AttributeAfterFingerprint,
}
