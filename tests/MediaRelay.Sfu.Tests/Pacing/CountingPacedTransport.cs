using MediaRelay.Sfu.Pacing;

namespace MediaRelay.Sfu.Tests.Pacing;

/// <summary>An allocation-free transport that only counts what it is given.</summary>
internal sealed class CountingPacedTransport : IPacedTransport
{
    public byte[]? CallerBuffer { get; set; }

    public long Packets { get; private set; }

    public long Bytes { get; private set; }

    public long FromQueue { get; private set; }

    public bool Transmit(byte[] buffer, int length, PacketPriority priority, long now)
    {
        Packets++;
        Bytes += length;
        if (!ReferenceEquals(buffer, CallerBuffer))
        {
            FromQueue++;
        }
        return true;
    }
}
