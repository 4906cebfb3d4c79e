namespace MediaRelay.Sdp.Tests;

/// <summary>Golden SDP bodies from tests/MediaRelay.Sdp.Tests/Data (stored with LF; canonical form is CRLF).</summary>
internal static class SdpSamples
{
    public const string ChromiumOfferFile = "chromium-unified-plan-offer.sdp";
    public const string SipOfferFile = "sip-cisco-offer.sdp";
    public const string Rfc8866ExampleFile = "rfc8866-example.sdp";

    public static readonly string[] AllFiles = [ChromiumOfferFile, SipOfferFile, Rfc8866ExampleFile];

    /// <summary>The file as stored (LF line ends).</summary>
    public static string ReadLf(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", file)).ReplaceLineEndings("\n");

    /// <summary>The canonical CRLF form.</summary>
    public static string ReadCrlf(string file) => ReadLf(file).ReplaceLineEndings("\r\n");

    public static string ChromiumOffer => ReadCrlf(ChromiumOfferFile);

    public static string SipOffer => ReadCrlf(SipOfferFile);

    public static string Rfc8866Example => ReadCrlf(Rfc8866ExampleFile);
}
