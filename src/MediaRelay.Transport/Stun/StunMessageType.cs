namespace MediaRelay.Transport.Stun;

/// <summary>
/// STUN message type values and the method/class bit interleaving of RFC 8489 §5:
/// <c>M11..M7 C1 M6..M4 C0 M3..M0</c> in the 14 low bits of the first header word.
/// </summary>
public static class StunMessageType
{
    /// <summary>Binding method (RFC 8489 §18.2).</summary>
    public const ushort BindingMethod = 0x001;

    public const ushort BindingRequest = 0x0001;
    public const ushort BindingIndication = 0x0011;
    public const ushort BindingSuccessResponse = 0x0101;
    public const ushort BindingErrorResponse = 0x0111;

    /// <summary>Extracts the 12-bit method from a message type.</summary>
    public static ushort GetMethod(ushort messageType)
        => (ushort)((messageType & 0x000F) | ((messageType & 0x00E0) >> 1) | ((messageType & 0x3E00) >> 2));

    /// <summary>Extracts the class bits from a message type.</summary>
    public static StunClass GetClass(ushort messageType)
        => (StunClass)(((messageType >> 4) & 0x1) | ((messageType >> 7) & 0x2));

    /// <summary>Builds a message type from a 12-bit method and a class.</summary>
    public static ushort Compose(ushort method, StunClass stunClass)
    {
        int c = (int)stunClass;
        return (ushort)((method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2)
            | ((c & 0x1) << 4) | ((c & 0x2) << 7));
    }
}
