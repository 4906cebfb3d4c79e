using MediaRelay.Srtp.Crypto;
using MediaRelay.Srtp.Native;

namespace MediaRelay.Srtp.Tests;

public class SrtpKeyDerivationTests
{
    // RFC 3711 Appendix B.3.
    [Fact]
    public void DerivesRfc3711AppendixB3SessionKeys()
    {
        SrtpSessionKeys keys = SrtpSessionKeys.Derive(SrtpProfile.AesCm128HmacSha1_80, SrtpTestPackets.MasterKey128, SrtpTestPackets.MasterSalt14);

        Assert.Equal(Hex.Parse("C61E7A93744F39EE10734AFE3FF7A087"), keys.RtpKey);
        Assert.Equal(Hex.Parse("30CBBC08863D8C85D49DB34A9AE1"), keys.RtpSalt);
        Assert.Equal(Hex.Parse("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"), keys.RtpAuthKey);
        Assert.Equal(20, keys.RtcpAuthKey.Length);
        Assert.Equal(16, keys.RtcpKey.Length);
        Assert.NotEqual(keys.RtpKey, keys.RtcpKey);
    }

    [Fact]
    public void LongAuthKeyMatchesRfc3711AppendixB3Keystream()
    {
        byte[] auth = SrtpSessionKeys.DeriveOne(SrtpTestPackets.MasterKey128, SrtpTestPackets.MasterSalt14, 1, 94);

        Assert.Equal(
            Hex.Parse("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE"
                + "E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25"
                + "6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2"),
            auth);
    }

    [Fact]
    public void GcmProfileDerivesTwelveByteSaltsAndNoAuthKey()
    {
        SrtpSessionKeys keys = SrtpSessionKeys.Derive(SrtpProfile.AeadAes128Gcm, SrtpTestPackets.MasterKey128, SrtpTestPackets.MasterSalt12);

        Assert.Equal(12, keys.RtpSalt.Length);
        Assert.Equal(12, keys.RtcpSalt.Length);
        Assert.Empty(keys.RtpAuthKey);
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, 15, 14)]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, 16, 12)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 16, 14)]
    [InlineData((SrtpProfile)0x0005, 16, 14)]
    public void RejectsWrongKeyMaterial(SrtpProfile profile, int keyLength, int saltLength)
    {
        Assert.Throws<ArgumentException>(() => new SrtpContext(profile, new byte[keyLength], new byte[saltLength]));
    }

    public static IEnumerable<object[]> Backends() => [[SrtpBackend.Managed], [SrtpBackend.Native]];

    // RFC 3711 Appendix B.2: AES-CM keystream for session key 2B7E..., salt F0F1...FD, SSRC 0, index 0.
    [Theory]
    [MemberData(nameof(Backends))]
    public void CounterModeKeystreamMatchesRfc3711AppendixB2(SrtpBackend backend)
    {
        byte[] key = Hex.Parse("2B7E151628AED2A6ABF7158809CF4F3C");
        byte[] iv = Hex.Parse("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        byte[] stream = new byte[0xFF02 * 16];
        using SrtpCounterModeCipher cipher = SrtpCipherFactory.CreateCounterMode(backend, key, ReadOnlySpan<byte>.Empty);

        Assert.True(cipher.ApplyKeystream(iv, stream));

        Assert.Equal(Hex.Parse("E03EAD0935C95E80E166B16DD92B4EB4"), stream.AsSpan(0x0000 * 16, 16).ToArray());
        Assert.Equal(Hex.Parse("D23513162B02D0F72A43A2FE4A5F97AB"), stream.AsSpan(0x0001 * 16, 16).ToArray());
        Assert.Equal(Hex.Parse("41E95B3BB0A2E8DD477901E4FCA894C0"), stream.AsSpan(0x0002 * 16, 16).ToArray());
        Assert.Equal(Hex.Parse("EC8CDF7398607CB0F2D21675EA9EA1E4"), stream.AsSpan(0xFEFF * 16, 16).ToArray());
        Assert.Equal(Hex.Parse("362B7C3C6773516318A077D7FC5073AE"), stream.AsSpan(0xFF00 * 16, 16).ToArray());
        Assert.Equal(Hex.Parse("6A2CC3787889374FBEB4C81B17BA6C44"), stream.AsSpan(0xFF01 * 16, 16).ToArray());
    }

    [Fact]
    public void NativeBackendIsAvailableOnThisMachine()
    {
        Assert.True(LibCrypto.IsAvailable);
        using SrtpContext auto = SrtpTestPackets.Create(SrtpProfile.AesCm128HmacSha1_80, SrtpBackend.Auto);
        Assert.Equal(SrtpBackend.Native, auto.Backend);
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, 16, 14, 10, 10, false, 14)]
    [InlineData(SrtpProfile.AesCm128HmacSha1_32, 16, 14, 4, 10, false, 14)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 16, 12, 16, 16, true, 20)]
    [InlineData(SrtpProfile.AeadAes256Gcm, 32, 12, 16, 16, true, 20)]
    public void ProfileInfoMatchesRfc5764AndRfc7714(SrtpProfile profile, int key, int salt, int rtpTag, int rtcpTag, bool aead, int overhead)
    {
        Assert.Equal(key, profile.MasterKeyLength);
        Assert.Equal(salt, profile.MasterSaltLength);
        Assert.Equal(rtpTag, profile.RtpTagLength);
        Assert.Equal(rtcpTag, profile.RtcpTagLength);
        Assert.Equal(aead, profile.IsAead);
        Assert.Equal(overhead, profile.MaxProtectOverhead);
    }
}
