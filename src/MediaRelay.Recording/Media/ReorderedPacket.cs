using MediaRelay.Rtp;

namespace MediaRelay.Recording.Media;

/// <summary>
/// A packet released by <see cref="TrackReorderBuffer"/> in sequence order. <see cref="Data"/> is the whole RTP
/// packet in the buffer's slot; it stays valid until the next <see cref="TrackReorderBuffer.Push"/>.
/// </summary>
public readonly ref struct ReorderedPacket
{
    public ReorderedPacket(Span<byte> data, long sequence, long arrivalMicroseconds, long lostBefore)
    {
        Data = data;
        Sequence = sequence;
        ArrivalMicroseconds = arrivalMicroseconds;
        LostBefore = lostBefore;
    }

    /// <summary>The RTP packet bytes (already validated by <see cref="RtpPacket.TryParse"/>).</summary>
    public Span<byte> Data { get; }

    /// <summary>Extended sequence number (RFC 3550 §A.1).</summary>
    public long Sequence { get; }

    public long ArrivalMicroseconds { get; }

    /// <summary>How many sequence numbers right before this one were never received (declared lost).</summary>
    public long LostBefore { get; }

    /// <summary>The RTP view over <see cref="Data"/>; always succeeds for a packet from the buffer.</summary>
    public RtpPacket Rtp
    {
        get
        {
            RtpPacket.TryParse(Data, out RtpPacket packet);
            return packet;
        }
    }
}
