using System.Buffers.Binary;

namespace MediaRelay.Srtp.Tests;

/// <summary>Builders for plaintext RTP/RTCP packets used by the round-trip tests.</summary>
internal static class SrtpTestPackets
{
    public static readonly byte[] MasterKey128 = Hex.Parse("E1F97A0D3E018BE0D64FA32C06DE4139");
    public static readonly byte[] MasterKey256 = Hex.Parse("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
    public static readonly byte[] MasterSalt14 = Hex.Parse("0EC675AD498AFEEBB6960B3AABE6");
    public static readonly byte[] MasterSalt12 = Hex.Parse("517569642070726F2071756F");

    public static SrtpContext Create(SrtpProfile profile, SrtpBackend backend, SrtpContextOptions? options = null)
    {
        byte[] key = profile == SrtpProfile.AeadAes256Gcm ? MasterKey256 : MasterKey128;
        byte[] salt = profile.IsAead ? MasterSalt12 : MasterSalt14;
        options ??= new SrtpContextOptions { Backend = backend };
        if (options.Backend != backend)
        {
            options = new SrtpContextOptions
            {
                Backend = backend,
                MaxStreams = options.MaxStreams,
                RtpReplayWindow = options.RtpReplayWindow,
                RtcpReplayWindow = options.RtcpReplayWindow,
                DisableReplayProtection = options.DisableReplayProtection,
            };
        }

        return new SrtpContext(profile, key, salt, options);
    }

    /// <summary>RTP packet: V=2, optional CSRCs and a one-byte-header extension, deterministic payload.</summary>
    public static int WriteRtp(Span<byte> buffer, ushort sequence, uint ssrc, int payloadLength, int csrcs = 0, bool extension = false)
    {
        buffer[0] = (byte)(0x80 | (extension ? 0x10 : 0) | csrcs);
        buffer[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(4), 90000u * sequence);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(8), ssrc);
        int offset = 12;
        for (int i = 0; i < csrcs; i++, offset += 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(offset), 0x1000u + (uint)i);
        }

        if (extension)
        {
            BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(offset), 0xBEDE);
            BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(offset + 2), 1);
            buffer[offset + 4] = 0x10; // id 1, length 1
            buffer[offset + 5] = 0xAB;
            buffer[offset + 6] = 0;
            buffer[offset + 7] = 0;
            offset += 8;
        }

        for (int i = 0; i < payloadLength; i++)
        {
            buffer[offset + i] = (byte)(i * 7 + sequence);
        }

        return offset + payloadLength;
    }

    /// <summary>RTCP receiver report with one report block (RFC 3550 §6.4.2).</summary>
    public static int WriteRtcp(Span<byte> buffer, uint ssrc, byte seed)
    {
        buffer[0] = 0x81;
        buffer[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(4), ssrc);
        for (int i = 8; i < 32; i++)
        {
            buffer[i] = (byte)(i + seed);
        }

        return 32;
    }

    public static IEnumerable<object[]> ProfilesAndBackends()
    {
        foreach (SrtpProfile profile in Enum.GetValues<SrtpProfile>())
        {
            yield return [profile, SrtpBackend.Managed];
            yield return [profile, SrtpBackend.Native];
        }
    }
}
