namespace MediaRelay.Sfu.Tests;

/// <summary>A transport that accepts and discards everything (allocation gate and benchmarks).</summary>
internal sealed class NullEgress : IRtpEgress
{
    public long Packets;

    public bool SendRtp(byte[] buffer, int length)
    {
        Packets++;
        return true;
    }

    public bool SendRtcp(byte[] buffer, int length) => true;
}
