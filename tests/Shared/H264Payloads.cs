namespace MediaRelay.Testing;

/// <summary>H.264 RTP payloads built by hand for tests (RFC 6184).</summary>
internal static class H264Payloads
{
    /// <summary>RFC 6184 §5.7.1: STAP-A NAL header (type 24, NRI 3), then each NAL unit behind its 16-bit size.</summary>
    public static byte[] StapA(params byte[][] nals)
    {
        var packet = new List<byte> { 0x78 };
        foreach (byte[] nal in nals)
        {
            packet.Add((byte)(nal.Length >> 8));
            packet.Add((byte)nal.Length);
            packet.AddRange(nal);
        }
        return [.. packet];
    }
}
