using System.Diagnostics;

namespace MediaRelay.Sfu.Tests.Pacing;

/// <summary>Explicit Stopwatch-tick times for the pacer tests.</summary>
internal static class PacingClock
{
    public static readonly long T0 = TestMedia.T0;

    /// <summary>T0 plus <paramref name="ms"/> milliseconds (fractions allowed).</summary>
    public static long At(double ms) => T0 + (long)(ms * Stopwatch.Frequency / 1000);

    public static double ToMilliseconds(long time) => (time - T0) * 1000.0 / Stopwatch.Frequency;

    /// <summary>A send buffer as a consumer has it: 1536 bytes, the packet bytes filled with a marker pattern.</summary>
    public static byte[] Packet(int length, int id)
    {
        var buffer = new byte[1536];
        for (int i = 0; i < length; i++)
        {
            buffer[i] = (byte)(id + i);
        }
        buffer[0] = (byte)id;
        buffer[1] = (byte)(id >> 8);
        return buffer;
    }

    public static int IdOf(byte[] sent) => sent[0] | (sent[1] << 8);
}
