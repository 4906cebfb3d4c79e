using System.Buffers.Binary;

namespace MediaRelay.Srtp.Tests;

public class SrtpContextRtcpTests
{
    private const uint Ssrc = 0xCAFEBABE;

    public static IEnumerable<object[]> ProfilesAndBackends() => SrtpTestPackets.ProfilesAndBackends();

    [Theory]
    [MemberData(nameof(ProfilesAndBackends))]
    public void RoundTripsWithIncrementingIndex(SrtpProfile profile, SrtpBackend backend)
    {
        using SrtpContext protect = SrtpTestPackets.Create(profile, backend);
        using SrtpContext unprotect = SrtpTestPackets.Create(profile, backend == SrtpBackend.Native ? SrtpBackend.Managed : SrtpBackend.Native);
        byte[] plain = new byte[64];
        byte[] buffer = new byte[64];
        int indexOffset = profile.IsAead ? profile.RtcpTagLength : 0; // GCM puts E||index after the tag
        for (uint expected = 0; expected < 5; expected++)
        {
            int length = SrtpTestPackets.WriteRtcp(plain, Ssrc, (byte)expected);
            plain.AsSpan(0, length).CopyTo(buffer);

            Assert.Equal(SrtpStatus.Ok, protect.ProtectRtcp(buffer, length, out int protectedLength));
            Assert.Equal(length + profile.MaxProtectOverhead, protectedLength);
            Assert.Equal(0x8000_0000u | expected, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(length + indexOffset)));
            Assert.True(plain.AsSpan(0, 8).SequenceEqual(buffer.AsSpan(0, 8)), "first header and SSRC stay clear");
            Assert.False(plain.AsSpan(8, 24).SequenceEqual(buffer.AsSpan(8, 24)), "rest is encrypted");

            Assert.Equal(SrtpStatus.Ok, unprotect.UnprotectRtcp(buffer, protectedLength, out int plainLength));
            Assert.Equal(length, plainLength);
            Assert.True(plain.AsSpan(0, length).SequenceEqual(buffer.AsSpan(0, length)));
        }
    }

    [Theory]
    [MemberData(nameof(ProfilesAndBackends))]
    public void ReplayTamperAndTruncationAreRejected(SrtpProfile profile, SrtpBackend backend)
    {
        using SrtpContext protect = SrtpTestPackets.Create(profile, backend);
        using SrtpContext unprotect = SrtpTestPackets.Create(profile, backend, new SrtpContextOptions { RtcpReplayWindow = 64 });
        byte[] buffer = new byte[64];
        var packets = new List<byte[]>();
        for (int i = 0; i < 80; i++)
        {
            int length = SrtpTestPackets.WriteRtcp(buffer, Ssrc, (byte)i);
            Assert.Equal(SrtpStatus.Ok, protect.ProtectRtcp(buffer, length, out int protectedLength));
            packets.Add(buffer.AsSpan(0, protectedLength).ToArray());
        }

        byte[] tampered = packets[0].ToArray();
        tampered[10] ^= 1;
        Assert.Equal(SrtpStatus.AuthenticationFailed, unprotect.UnprotectRtcp(tampered, tampered.Length, out _));
        for (int length = 0; length < 8 + 4 + profile.RtcpTagLength; length++)
        {
            Assert.Equal(SrtpStatus.TooShort, unprotect.UnprotectRtcp(packets[0].ToArray(), length, out _));
        }

        Assert.Equal(SrtpStatus.Ok, unprotect.UnprotectRtcp(packets[0].ToArray(), packets[0].Length, out _));
        Assert.Equal(SrtpStatus.ReplayDetected, unprotect.UnprotectRtcp(packets[0].ToArray(), packets[0].Length, out _));
        for (int i = 2; i < 80; i++)
        {
            Assert.Equal(SrtpStatus.Ok, unprotect.UnprotectRtcp(packets[i].ToArray(), packets[i].Length, out _));
        }

        Assert.Equal(SrtpStatus.ReplayTooOld, unprotect.UnprotectRtcp(packets[1].ToArray(), packets[1].Length, out _));
    }

    [Theory]
    [MemberData(nameof(ProfilesAndBackends))]
    public void ProtectChecksBufferAndHeader(SrtpProfile profile, SrtpBackend backend)
    {
        using SrtpContext context = SrtpTestPackets.Create(profile, backend);
        byte[] buffer = new byte[64];
        int length = SrtpTestPackets.WriteRtcp(buffer, Ssrc, 0);

        Assert.Equal(SrtpStatus.BufferTooSmall, context.ProtectRtcp(buffer.AsSpan(0, length + profile.MaxProtectOverhead - 1), length, out _));
        Assert.Equal(SrtpStatus.TooShort, context.ProtectRtcp(buffer, 7, out _));
        buffer[0] = 0x01;
        Assert.Equal(SrtpStatus.InvalidPacket, context.ProtectRtcp(buffer, length, out _));
    }

    [Fact]
    public void IndexExhaustionRequiresRekey()
    {
        using SrtpContext context = SrtpTestPackets.Create(SrtpProfile.AesCm128HmacSha1_80, SrtpBackend.Managed);
        context.SetRtcpSendIndex(Ssrc, 0x7FFF_FFFF);
        byte[] buffer = new byte[64];
        int length = SrtpTestPackets.WriteRtcp(buffer, Ssrc, 0);

        Assert.Equal(SrtpStatus.Ok, context.ProtectRtcp(buffer, length, out _));
        length = SrtpTestPackets.WriteRtcp(buffer, Ssrc, 0);
        Assert.Equal(SrtpStatus.KeyLimitReached, context.ProtectRtcp(buffer, length, out _));
    }
}
