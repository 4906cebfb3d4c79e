using MediaRelay.Sfu.Pacing;

namespace MediaRelay.Sfu.Tests.Pacing;

/// <summary>A transport that keeps a copy of every packet it is asked to transmit, with its priority and time.</summary>
internal sealed class RecordingPacedTransport : IPacedTransport
{
    public readonly record struct Transmission(byte[] Bytes, PacketPriority Priority, long Time, bool FromCallerBuffer);

    public List<Transmission> Sent { get; } = new();

    /// <summary>The caller's buffer of the current <c>Send</c> call, to tell direct sends from queued copies.</summary>
    public byte[]? CallerBuffer { get; set; }

    public bool Accept { get; set; } = true;

    public bool Transmit(byte[] buffer, int length, PacketPriority priority, long now)
    {
        Assert.True(buffer.Length - length >= 32, "no room for the SRTP trailer");
        Sent.Add(new Transmission(buffer.AsSpan(0, length).ToArray(), priority, now, ReferenceEquals(buffer, CallerBuffer)));
        return Accept;
    }
}
