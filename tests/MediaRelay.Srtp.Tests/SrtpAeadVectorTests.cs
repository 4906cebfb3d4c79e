namespace MediaRelay.Srtp.Tests;

/// <summary>RFC 7714 §16 (SRTP) and §17 (SRTCP) AES-GCM vectors, with the session key and salt given directly.</summary>
public class SrtpAeadVectorTests
{
    private const uint RtcpSsrc = 0x4d617273;

    private static readonly byte[] Salt = Hex.Parse("517569642070726f2071756f");

    private static readonly byte[] PlainRtp = Hex.Parse(
        "8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465 73207472 6573");

    private static readonly byte[] PlainRtcp = Hex.Parse(
        "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef");

    public static IEnumerable<object[]> Cases()
    {
        foreach (SrtpBackend backend in new[] { SrtpBackend.Managed, SrtpBackend.Native })
        {
            yield return
            [
                SrtpProfile.AeadAes128Gcm, backend, "000102030405060708090a0b0c0d0e0f",
                "8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b"
                    + "36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce",
                "81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda 4ce09b46"
                    + "86303ded 0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade 800005d4",
                "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef deadbeef"
                    + "deadbeef deadbeef 841dd968 3dd78ec9 2ae58790 125f62b3 000005d4",
            ];
            yield return
            [
                SrtpProfile.AeadAes256Gcm, backend, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
                "8040f17b 8041f8d3 5501a0b2 32b1de78 a822fe12 ef9f78fa 332e33aa b1801238 9a58e2f3 b50b2a02 76ffae0f"
                    + "1ba63799 b87b7aa3 db36dfff d6b0f9bb 7878d7a7 6c13",
                "81c8000d 4d617273 d50ae4d1 f5ce5d30 4ba297e4 7d470c28 2c3ece5d bffe0a50 a2eaa5c1 110555be 8415f658"
                    + "c61de047 6f1b6fad 1d1eb30c 4446839f 57ff6f6c b26ac3be 800005d4",
                "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef deadbeef"
                    + "deadbeef deadbeef 91db4afb feee5a97 8fab4393 ed2615fe 000005d4",
            ];
        }
    }

    private static SrtpContext CreateWithSessionKeys(SrtpProfile profile, SrtpBackend backend, byte[] key) =>
        new(profile, new SrtpSessionKeys(key.ToArray(), Salt.ToArray(), [], key.ToArray(), Salt.ToArray(), []),
            new SrtpContextOptions { Backend = backend });

    [Theory]
    [MemberData(nameof(Cases))]
    public void ProtectRtpMatchesRfc7714Section16(SrtpProfile profile, SrtpBackend backend, string key, string srtp, string srtcp, string authOnly)
    {
        _ = srtcp;
        _ = authOnly;
        using SrtpContext context = CreateWithSessionKeys(profile, backend, Hex.Parse(key));
        byte[] buffer = new byte[PlainRtp.Length + 16];
        PlainRtp.CopyTo(buffer, 0);

        Assert.Equal(SrtpStatus.Ok, context.ProtectRtp(buffer, PlainRtp.Length, out int length));

        Assert.Equal(Hex.Parse(srtp), buffer.AsSpan(0, length).ToArray());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void UnprotectRtpMatchesRfc7714Section16(SrtpProfile profile, SrtpBackend backend, string key, string srtp, string srtcp, string authOnly)
    {
        _ = srtcp;
        _ = authOnly;
        using SrtpContext context = CreateWithSessionKeys(profile, backend, Hex.Parse(key));
        byte[] buffer = Hex.Parse(srtp);

        Assert.Equal(SrtpStatus.Ok, context.UnprotectRtp(buffer, buffer.Length, out int length));

        Assert.Equal(PlainRtp, buffer.AsSpan(0, length).ToArray());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ProtectRtcpMatchesRfc7714Section17(SrtpProfile profile, SrtpBackend backend, string key, string srtp, string srtcp, string authOnly)
    {
        _ = srtp;
        _ = authOnly;
        using SrtpContext context = CreateWithSessionKeys(profile, backend, Hex.Parse(key));
        context.SetRtcpSendIndex(RtcpSsrc, 0x5d4);
        byte[] buffer = new byte[PlainRtcp.Length + 20];
        PlainRtcp.CopyTo(buffer, 0);

        Assert.Equal(SrtpStatus.Ok, context.ProtectRtcp(buffer, PlainRtcp.Length, out int length));

        Assert.Equal(Hex.Parse(srtcp), buffer.AsSpan(0, length).ToArray());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void UnprotectRtcpMatchesRfc7714Section17(SrtpProfile profile, SrtpBackend backend, string key, string srtp, string srtcp, string authOnly)
    {
        _ = srtp;
        using SrtpContext context = CreateWithSessionKeys(profile, backend, Hex.Parse(key));
        byte[] encrypted = Hex.Parse(srtcp);
        byte[] authenticated = Hex.Parse(authOnly);

        Assert.Equal(SrtpStatus.Ok, context.UnprotectRtcp(encrypted, encrypted.Length, out int length));
        Assert.Equal(PlainRtcp, encrypted.AsSpan(0, length).ToArray());

        // Same index again, now with E = 0 (RFC 7714 §17 authentication-only packet): replay, then a fresh context accepts it.
        Assert.Equal(SrtpStatus.ReplayDetected, context.UnprotectRtcp(authenticated.ToArray(), authenticated.Length, out _));
        using SrtpContext fresh = CreateWithSessionKeys(profile, backend, Hex.Parse(key));
        Assert.Equal(SrtpStatus.Ok, fresh.UnprotectRtcp(authenticated, authenticated.Length, out length));
        Assert.Equal(PlainRtcp, authenticated.AsSpan(0, length).ToArray());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TamperedVectorsFailAuthentication(SrtpProfile profile, SrtpBackend backend, string key, string srtp, string srtcp, string authOnly)
    {
        _ = authOnly;
        using SrtpContext context = CreateWithSessionKeys(profile, backend, Hex.Parse(key));
        byte[] rtp = Hex.Parse(srtp);
        rtp[20] ^= 1;
        byte[] rtcp = Hex.Parse(srtcp);
        rtcp[^5] ^= 0x80; // last tag byte

        Assert.Equal(SrtpStatus.AuthenticationFailed, context.UnprotectRtp(rtp, rtp.Length, out _));
        Assert.Equal(SrtpStatus.AuthenticationFailed, context.UnprotectRtcp(rtcp, rtcp.Length, out _));
    }
}
