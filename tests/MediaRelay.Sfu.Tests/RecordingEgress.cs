namespace MediaRelay.Sfu.Tests;

/// <summary>
/// A subscriber transport that copies every packet handed to it, remembers which buffer it came in, and can
/// scribble over the buffer afterwards the way in-place SRTP protection would (header bytes + trailer).
/// </summary>
internal sealed class RecordingEgress : IRtpEgress
{
    public List<byte[]> Rtp { get; } = new();
    public List<byte[]> Rtcp { get; } = new();
    public List<byte[]> Buffers { get; } = new();

    /// <summary>Overwrite buffer[0..length + headroom] after copying, like SRTP protect-in-place would.</summary>
    public bool ScribbleAfterSend { get; init; }

    /// <summary>What SendRtp returns (false simulates a full socket queue).</summary>
    public bool Accept { get; set; } = true;

    public bool SendRtp(byte[] buffer, int length)
    {
        Rtp.Add(buffer.AsSpan(0, length).ToArray());
        Buffers.Add(buffer);
        if (ScribbleAfterSend)
        {
            int end = Math.Min(buffer.Length, length + Consumer.ProtectionHeadroom);
            buffer.AsSpan(0, end).Fill(0xEE);
        }
        return Accept;
    }

    public bool SendRtcp(byte[] buffer, int length)
    {
        Rtcp.Add(buffer.AsSpan(0, length).ToArray());
        return Accept;
    }
}
