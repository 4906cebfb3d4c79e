using System.Buffers.Binary;

namespace MediaRelay.Rtp.Rtcp;

/// <summary>
/// Full Intra Request: PSFB (PT=206) FMT=4 (RFC 5104 §4.3.1, https://www.rfc-editor.org/rfc/rfc5104#section-4.3.1).
/// The media SSRC field is unused (0); each 8-byte FCI entry is <c>SSRC | seq nr (8) | reserved (24)</c>.
/// </summary>
public readonly ref struct RtcpFir
{
    public const int Format = 4;
    public const int EntrySize = 8;
    private const int FciOffset = 12;

    private readonly Span<byte> _buffer;
    private readonly int _contentLength;

    private RtcpFir(Span<byte> buffer, int contentLength)
    {
        _buffer = buffer;
        _contentLength = contentLength;
    }

    public static bool TryParse(Span<byte> buffer, out RtcpFir fir)
    {
        fir = default;
        if (!RtcpHeader.TryGetTyped(buffer, RtcpPacketType.PayloadFeedback, Format, FciOffset + EntrySize, out Span<byte> packet, out int content))
        {
            return false;
        }
        fir = new RtcpFir(packet, content);
        return true;
    }

    public Span<byte> Buffer => _buffer;

    public uint SenderSsrc
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(4));
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(4), value);
    }

    /// <summary>Unused by FIR (SHALL be 0) but present in the common feedback header.</summary>
    public uint MediaSsrc
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(8));
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(8), value);
    }

    public int EntryCount => (_contentLength - FciOffset) / EntrySize;

    /// <summary>SSRC of the media sender asked for a decoder refresh point.</summary>
    public uint GetEntrySsrc(int index) => BinaryPrimitives.ReadUInt32BigEndian(Entry(index));

    public void SetEntrySsrc(int index, uint ssrc) => BinaryPrimitives.WriteUInt32BigEndian(Entry(index), ssrc);

    public byte GetEntrySequenceNumber(int index) => Entry(index)[4];

    public void SetEntrySequenceNumber(int index, byte sequenceNumber) => Entry(index)[4] = sequenceNumber;

    private Span<byte> Entry(int index)
    {
        if ((uint)index >= (uint)EntryCount)
        {
            Core.ThrowHelper.ThrowArgument("FIR entry index out of range.", nameof(index));
        }
        return _buffer.Slice(FciOffset + (index * EntrySize), EntrySize);
    }

    public static int GetLength(int entryCount) => FciOffset + (entryCount * EntrySize);

    /// <summary>Writes a FIR with one entry per (ssrc, seq nr) pair; 0 when the spans differ, are empty, or do not fit.</summary>
    public static int Write(Span<byte> destination, uint senderSsrc, ReadOnlySpan<uint> mediaSsrcs, ReadOnlySpan<byte> sequenceNumbers)
    {
        int length = GetLength(mediaSsrcs.Length);
        if (mediaSsrcs.IsEmpty || mediaSsrcs.Length != sequenceNumbers.Length || destination.Length < length)
        {
            return 0;
        }
        RtcpHeader.Write(destination, Format, RtcpPacketType.PayloadFeedback, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8), 0);
        for (int i = 0; i < mediaSsrcs.Length; i++)
        {
            Span<byte> entry = destination.Slice(FciOffset + (i * EntrySize), EntrySize);
            BinaryPrimitives.WriteUInt32BigEndian(entry, mediaSsrcs[i]);
            entry[4] = sequenceNumbers[i];
            entry.Slice(5).Clear();
        }
        return length;
    }

    public static int Write(Span<byte> destination, uint senderSsrc, uint mediaSsrc, byte sequenceNumber) =>
        Write(destination, senderSsrc, new ReadOnlySpan<uint>(in mediaSsrc), new ReadOnlySpan<byte>(in sequenceNumber));
}
