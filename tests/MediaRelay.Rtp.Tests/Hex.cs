namespace MediaRelay.Rtp.Tests;

internal static class Hex
{
    /// <summary>Parses "80 e0 12 34" style hex (spaces and '|' ignored).</summary>
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "").Replace("|", "").Replace("\n", ""));
}
