using MediaRelay.Sfu.Pacing;

namespace MediaRelay.Sfu.Tests;

/// <summary>A subscriber transport that negotiated transport-cc: records each packet with the priority it was given.</summary>
internal sealed class TransportCcEgress(int transportCcId) : IRtpEgress
{
    public List<(byte[] Packet, PacketPriority Priority)> Sent { get; } = new();

    public int TransportCcExtensionId => transportCcId;

    public bool SendRtp(byte[] buffer, int length) => SendRtp(buffer, length, PacketPriority.Video);

    public bool SendRtp(byte[] buffer, int length, PacketPriority priority)
    {
        Sent.Add((buffer.AsSpan(0, length).ToArray(), priority));
        return true;
    }

    public bool SendRtcp(byte[] buffer, int length) => true;
}
