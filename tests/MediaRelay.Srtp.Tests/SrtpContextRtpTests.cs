using System.Buffers.Binary;

namespace MediaRelay.Srtp.Tests;

public class SrtpContextRtpTests
{
    private const uint Ssrc = 0x11223344;

    public static IEnumerable<object[]> ProfilesAndBackends() => SrtpTestPackets.ProfilesAndBackends();

    public static IEnumerable<object[]> CrossBackends()
    {
        foreach (SrtpProfile profile in Enum.GetValues<SrtpProfile>())
        {
            yield return [profile, SrtpBackend.Managed, SrtpBackend.Native];
            yield return [profile, SrtpBackend.Native, SrtpBackend.Managed];
        }
    }

    [Theory]
    [MemberData(nameof(CrossBackends))]
    [MemberData(nameof(ProfilesAndBackends))]
    public void RoundTripsAcrossBackends(SrtpProfile profile, SrtpBackend sender, SrtpBackend? receiver = null)
    {
        using SrtpContext protect = SrtpTestPackets.Create(profile, sender);
        using SrtpContext unprotect = SrtpTestPackets.Create(profile, receiver ?? sender);
        byte[] plain = new byte[1600];
        byte[] buffer = new byte[1600];
        int[] payloads = [0, 1, 15, 16, 17, 160, 1200, 1500];
        for (int i = 0; i < payloads.Length; i++)
        {
            int length = SrtpTestPackets.WriteRtp(plain, (ushort)(1000 + i), Ssrc, payloads[i], csrcs: i % 3, extension: i % 2 == 1);
            plain.AsSpan(0, length).CopyTo(buffer);

            Assert.Equal(SrtpStatus.Ok, protect.ProtectRtp(buffer, length, out int protectedLength));
            Assert.Equal(length + profile.RtpTagLength, protectedLength);
            if (payloads[i] >= 16)
            {
                Assert.False(plain.AsSpan(length - 16, 16).SequenceEqual(buffer.AsSpan(length - 16, 16)), "payload must be encrypted");
            }

            Assert.Equal(SrtpStatus.Ok, unprotect.UnprotectRtp(buffer, protectedLength, out int plainLength));
            Assert.Equal(length, plainLength);
            Assert.True(plain.AsSpan(0, length).SequenceEqual(buffer.AsSpan(0, plainLength)));
        }
    }

    [Theory]
    [MemberData(nameof(ProfilesAndBackends))]
    public void RolloverCounterAdvancesAcrossSequenceWrap(SrtpProfile profile, SrtpBackend backend)
    {
        using SrtpContext protect = SrtpTestPackets.Create(profile, backend);
        using SrtpContext unprotect = SrtpTestPackets.Create(profile, backend == SrtpBackend.Native ? SrtpBackend.Managed : SrtpBackend.Native);
        byte[] buffer = new byte[256];
        var wire = new List<byte[]>();
        for (int i = 0; i < 12; i++)
        {
            ushort sequence = (ushort)(65530 + i); // 65530..65535, then 0..5 with ROC 1
            int length = SrtpTestPackets.WriteRtp(buffer, sequence, Ssrc, 100);
            Assert.Equal(SrtpStatus.Ok, protect.ProtectRtp(buffer, length, out int protectedLength));
            wire.Add(buffer.AsSpan(0, protectedLength).ToArray());
        }

        // Deliver with reordering around the wrap: 65535 arrives after 0 and 1.
        int[] order = [0, 1, 2, 3, 4, 6, 7, 5, 8, 9, 10, 11];
        foreach (int i in order)
        {
            byte[] packet = wire[i].ToArray();
            Assert.Equal(SrtpStatus.Ok, unprotect.UnprotectRtp(packet, packet.Length, out int plainLength));
            Assert.Equal((ushort)(65530 + i), BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)));
            Assert.Equal(12 + 100, plainLength);
        }

        // A receiver that assumed ROC 0 for a post-wrap packet would fail authentication/decryption.
        using SrtpContext late = SrtpTestPackets.Create(profile, backend);
        byte[] postWrap = wire[8].ToArray();
        Assert.Equal(SrtpStatus.AuthenticationFailed, late.UnprotectRtp(postWrap, postWrap.Length, out _));
    }

    [Theory]
    [MemberData(nameof(ProfilesAndBackends))]
    public void ReplayAndTooOldAreRejected(SrtpProfile profile, SrtpBackend backend)
    {
        using SrtpContext protect = SrtpTestPackets.Create(profile, backend);
        using SrtpContext unprotect = SrtpTestPackets.Create(profile, backend, new SrtpContextOptions { RtpReplayWindow = 128 });
        byte[] buffer = new byte[256];
        byte[] first = Protect(protect, buffer, 10);
        Assert.Equal(SrtpStatus.Ok, unprotect.UnprotectRtp(first.ToArray(), first.Length, out _));
        Assert.Equal(SrtpStatus.ReplayDetected, unprotect.UnprotectRtp(first.ToArray(), first.Length, out _));

        byte[]? skipped = null;
        for (ushort sequence = 11; sequence < 200; sequence++)
        {
            byte[] packet = Protect(protect, buffer, sequence);
            if (sequence == 150)
            {
                skipped = packet;
                continue;
            }

            Assert.Equal(SrtpStatus.Ok, unprotect.UnprotectRtp(packet, packet.Length, out _));
        }

        Assert.Equal(SrtpStatus.ReplayTooOld, unprotect.UnprotectRtp(first.ToArray(), first.Length, out _));
        Assert.NotNull(skipped);
        Assert.Equal(SrtpStatus.Ok, unprotect.UnprotectRtp(skipped.ToArray(), skipped.Length, out _)); // late but inside window
        Assert.Equal(SrtpStatus.ReplayDetected, unprotect.UnprotectRtp(skipped, skipped.Length, out _));
    }

    [Theory]
    [MemberData(nameof(ProfilesAndBackends))]
    public void FailedAuthenticationDoesNotAdvanceReplayWindow(SrtpProfile profile, SrtpBackend backend)
    {
        using SrtpContext protect = SrtpTestPackets.Create(profile, backend);
        using SrtpContext unprotect = SrtpTestPackets.Create(profile, backend);
        byte[] buffer = new byte[256];
        byte[] good = Protect(protect, buffer, 500);
        byte[] forged = good.ToArray();
        forged[^1] ^= 0x01;

        Assert.Equal(SrtpStatus.AuthenticationFailed, unprotect.UnprotectRtp(forged, forged.Length, out _));
        Assert.Equal(SrtpStatus.Ok, unprotect.UnprotectRtp(good, good.Length, out _));
    }

    [Theory]
    [MemberData(nameof(ProfilesAndBackends))]
    public void TamperedHeaderPayloadOrTagFailsAuthentication(SrtpProfile profile, SrtpBackend backend)
    {
        using SrtpContext protect = SrtpTestPackets.Create(profile, backend);
        using SrtpContext unprotect = SrtpTestPackets.Create(profile, backend);
        byte[] buffer = new byte[1400];
        byte[] good = Protect(protect, buffer, 7, payload: 1200);
        int[] positions = [1, 4, 12, 600, good.Length - profile.RtpTagLength - 1, good.Length - profile.RtpTagLength, good.Length - 1];
        foreach (int position in positions)
        {
            byte[] tampered = good.ToArray();
            tampered[position] ^= 0x40;
            Assert.Equal(SrtpStatus.AuthenticationFailed, unprotect.UnprotectRtp(tampered, tampered.Length, out int plainLength));
            Assert.Equal(0, plainLength);
        }

        Assert.Equal(SrtpStatus.Ok, unprotect.UnprotectRtp(good, good.Length, out _));
    }

    [Theory]
    [MemberData(nameof(ProfilesAndBackends))]
    public void TruncatedAndMalformedPacketsReturnStatus(SrtpProfile profile, SrtpBackend backend)
    {
        using SrtpContext protect = SrtpTestPackets.Create(profile, backend);
        using SrtpContext unprotect = SrtpTestPackets.Create(profile, backend);
        byte[] buffer = new byte[256];
        byte[] good = Protect(protect, buffer, 1, payload: 40);
        for (int length = 0; length < 12 + profile.RtpTagLength; length++)
        {
            Assert.Equal(SrtpStatus.TooShort, unprotect.UnprotectRtp(good.ToArray(), length, out _));
        }

        for (int length = 12 + profile.RtpTagLength; length < good.Length; length++)
        {
            Assert.NotEqual(SrtpStatus.Ok, unprotect.UnprotectRtp(good.ToArray(), length, out _));
        }

        Assert.Equal(SrtpStatus.BufferTooSmall, unprotect.UnprotectRtp(good.AsSpan(0, 20), 21, out _));
        byte[] badVersion = good.ToArray();
        badVersion[0] = 0x40;
        Assert.Equal(SrtpStatus.InvalidPacket, unprotect.UnprotectRtp(badVersion, badVersion.Length, out _));

        // CSRC count that overruns the packet.
        byte[] plain = new byte[64];
        int plainLength = SrtpTestPackets.WriteRtp(plain, 2, Ssrc, 0);
        plain[0] = 0x8F;
        Assert.Equal(SrtpStatus.TooShort, protect.ProtectRtp(plain, plainLength, out _));
        Assert.Equal(SrtpStatus.TooShort, protect.ProtectRtp(plain, 11, out _));

        // No room for the tag.
        plainLength = SrtpTestPackets.WriteRtp(plain, 3, Ssrc, 10);
        Assert.Equal(SrtpStatus.BufferTooSmall, protect.ProtectRtp(plain.AsSpan(0, plainLength + profile.RtpTagLength - 1), plainLength, out _));
        Assert.Equal(SrtpStatus.BufferTooSmall, protect.ProtectRtp(plain.AsSpan(0, 10), 11, out _));
    }

    [Theory]
    [MemberData(nameof(ProfilesAndBackends))]
    public void GarbageNeverThrows(SrtpProfile profile, SrtpBackend backend)
    {
        using SrtpContext context = SrtpTestPackets.Create(profile, backend, new SrtpContextOptions { MaxStreams = 4 });
        var random = new Random(1234);
        byte[] buffer = new byte[300];
        for (int i = 0; i < 2000; i++)
        {
            random.NextBytes(buffer);
            if (i % 2 == 0)
            {
                buffer[0] = (byte)(0x80 | (buffer[0] & 0x3F));
            }

            int length = random.Next(0, buffer.Length + 1);
            Assert.NotEqual(SrtpStatus.Ok, context.UnprotectRtp(buffer, length, out _));
            _ = context.UnprotectRtcp(buffer, length, out _);
            _ = context.ProtectRtp(buffer, Math.Max(0, length - 30), out _);
            _ = context.ProtectRtcp(buffer, Math.Max(0, length - 30), out _);
        }
    }

    [Theory]
    [MemberData(nameof(ProfilesAndBackends))]
    public void StreamTableIsBounded(SrtpProfile profile, SrtpBackend backend)
    {
        using SrtpContext protect = SrtpTestPackets.Create(profile, backend);
        using SrtpContext unprotect = SrtpTestPackets.Create(profile, backend, new SrtpContextOptions { MaxStreams = 3 });
        byte[] buffer = new byte[128];
        for (uint ssrc = 1; ssrc <= 3; ssrc++)
        {
            byte[] accepted = Protect(protect, buffer, 1, ssrc: ssrc);
            Assert.Equal(SrtpStatus.Ok, unprotect.UnprotectRtp(accepted, accepted.Length, out _));
        }

        byte[] fourth = Protect(protect, buffer, 1, ssrc: 4);
        Assert.Equal(SrtpStatus.TooManyStreams, unprotect.UnprotectRtp(fourth, fourth.Length, out _));
        byte[] known = Protect(protect, buffer, 2, ssrc: 2);
        Assert.Equal(SrtpStatus.Ok, unprotect.UnprotectRtp(known, known.Length, out _));
    }

    [Fact]
    public void ForgedPacketsDoNotConsumeStreamSlots()
    {
        using SrtpContext unprotect = SrtpTestPackets.Create(SrtpProfile.AesCm128HmacSha1_80, SrtpBackend.Managed, new SrtpContextOptions { MaxStreams = 1 });
        using SrtpContext protect = SrtpTestPackets.Create(SrtpProfile.AesCm128HmacSha1_80, SrtpBackend.Managed);
        byte[] buffer = new byte[128];
        int length = SrtpTestPackets.WriteRtp(buffer, 1, 99, 20);
        Assert.Equal(SrtpStatus.AuthenticationFailed, unprotect.UnprotectRtp(buffer, length + 10, out _));

        byte[] good = Protect(protect, buffer, 1, ssrc: 5);
        Assert.Equal(SrtpStatus.Ok, unprotect.UnprotectRtp(good, good.Length, out _));
    }

    [Fact]
    public void DisabledReplayProtectionAcceptsDuplicates()
    {
        using SrtpContext protect = SrtpTestPackets.Create(SrtpProfile.AeadAes128Gcm, SrtpBackend.Native);
        using SrtpContext unprotect = SrtpTestPackets.Create(SrtpProfile.AeadAes128Gcm, SrtpBackend.Native, new SrtpContextOptions { DisableReplayProtection = true });
        byte[] packet = Protect(protect, new byte[128], 42);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(SrtpStatus.Ok, unprotect.UnprotectRtp(packet.ToArray(), packet.Length, out _));
        }
    }

    private static byte[] Protect(SrtpContext context, byte[] buffer, ushort sequence, int payload = 50, uint ssrc = Ssrc)
    {
        int length = SrtpTestPackets.WriteRtp(buffer, sequence, ssrc, payload);
        Assert.Equal(SrtpStatus.Ok, context.ProtectRtp(buffer, length, out int protectedLength));
        return buffer.AsSpan(0, protectedLength).ToArray();
    }
}
