using MediaRelay.Sdp;

namespace MediaRelay.Server.Tests;

/// <summary>The golden Chromium unified-plan offer shared with MediaRelay.Sdp.Tests (linked into Data/).</summary>
internal static class GoldenOffer
{
    public static string Text =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "chromium-unified-plan-offer.sdp")).ReplaceLineEndings("\r\n");

    public static SessionDescription Parse() => SessionDescription.Parse(Text);

    /// <summary>One m-section built from a minimal session around the given m= and a= lines.</summary>
    public static MediaDescription Section(params string[] lines) =>
        SessionDescription.Parse("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n" + string.Join("\r\n", lines) + "\r\n").Media[0];
}
