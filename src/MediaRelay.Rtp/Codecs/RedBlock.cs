namespace MediaRelay.Rtp.Codecs;

/// <summary>
/// One block of a RED payload (RFC 2198 §3, https://www.rfc-editor.org/rfc/rfc2198#section-3): its payload
/// type, how far its timestamp lies before the RTP header's (0 for the primary), and its bytes.
/// </summary>
public readonly ref struct RedBlock
{
    public RedBlock(byte payloadType, int timestampOffset, bool isPrimary, ReadOnlySpan<byte> data)
    {
        PayloadType = payloadType;
        TimestampOffset = timestampOffset;
        IsPrimary = isPrimary;
        Data = data;
    }

    /// <summary>Block PT (7 bits).</summary>
    public byte PayloadType { get; }

    /// <summary>Timestamp offset (14 bits, unsigned): this block's timestamp is the RTP timestamp minus it.</summary>
    public int TimestampOffset { get; }

    /// <summary>True for the final block (1-byte header, F=0).</summary>
    public bool IsPrimary { get; }

    public ReadOnlySpan<byte> Data { get; }

    public int Length => Data.Length;
}
