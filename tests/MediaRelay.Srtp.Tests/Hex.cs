namespace MediaRelay.Srtp.Tests;

internal static class Hex
{
    public static byte[] Parse(string text) =>
        Convert.FromHexString(text.Replace(" ", "").Replace("\n", "").Replace("\r", "").Replace("\t", ""));
}
