using System.Buffers.Binary;
using System.Security.Cryptography;
using MediaRelay.Srtp.Crypto;

namespace MediaRelay.Srtp;

/// <summary>SRTCP half of <see cref="SrtpContext"/> (RFC 3711 §3.4, RFC 7714 §9 and §10).</summary>
public sealed partial class SrtpContext
{
    private const int RtcpHeaderLength = 8;
    private const uint MaxRtcpIndex = 0x7FFF_FFFF;
    private const uint EncryptedFlag = 0x8000_0000;

    /// <summary>
    /// Encrypts the (compound) RTCP packet in buffer[..length] in place, appends E||SRTCP index and the tag
    /// (AES-CM: packet || E+index || tag; GCM: packet || tag || E+index). The index counts per sender SSRC from 0.
    /// </summary>
    public SrtpStatus ProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if ((uint)length > (uint)buffer.Length)
        {
            return SrtpStatus.BufferTooSmall;
        }

        if (length < RtcpHeaderLength)
        {
            return SrtpStatus.TooShort;
        }

        if ((buffer[0] >> 6) != 2)
        {
            return SrtpStatus.InvalidPacket;
        }

        int tagLength = _rtcpTagLength;
        if (buffer.Length - length < tagLength + SrtpProfileInfo.RtcpIndexLength)
        {
            return SrtpStatus.BufferTooSmall;
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(4));
        SrtpStreamTable table = _rtcpSend;
        int slot = table.Find(ssrc);
        if (slot < 0)
        {
            slot = table.Add(ssrc, 0, markReceived: false);
            if (slot < 0)
            {
                return SrtpStatus.TooManyStreams;
            }
        }

        ref ulong next = ref table.Highest(slot);
        if (next > MaxRtcpIndex)
        {
            return SrtpStatus.KeyLimitReached;
        }

        uint index = (uint)next;
        uint trailer = index | EncryptedFlag;
        Span<byte> payload = buffer.Slice(RtcpHeaderLength, length - RtcpHeaderLength);
        if (_aead)
        {
            Span<byte> nonce = stackalloc byte[SrtpAeadCipher.NonceLength];
            BuildRtcpNonce(nonce, ssrc, index);
            Span<byte> aad = stackalloc byte[RtcpHeaderLength + SrtpProfileInfo.RtcpIndexLength];
            buffer.Slice(0, RtcpHeaderLength).CopyTo(aad);
            BinaryPrimitives.WriteUInt32BigEndian(aad.Slice(RtcpHeaderLength), trailer);
            if (!_rtcpAead!.Seal(nonce, aad, payload, buffer.Slice(length, tagLength)))
            {
                return SrtpStatus.AuthenticationFailed;
            }

            BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(length + tagLength), trailer);
        }
        else
        {
            Span<byte> iv = stackalloc byte[16];
            BuildCounterIv(iv, _rtcpSalt, ssrc, index);
            SrtpCounterModeCipher cipher = _rtcpCounterMode!;
            if (!cipher.ApplyKeystream(iv, payload))
            {
                return SrtpStatus.AuthenticationFailed;
            }

            BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(length), trailer);
            Span<byte> mac = stackalloc byte[SrtpCounterModeCipher.MacLength];
            if (!cipher.ComputeMac(buffer.Slice(0, length + SrtpProfileInfo.RtcpIndexLength), default, mac))
            {
                return SrtpStatus.AuthenticationFailed;
            }

            mac.Slice(0, tagLength).CopyTo(buffer.Slice(length + SrtpProfileInfo.RtcpIndexLength));
        }

        next = index + 1UL;
        protectedLength = length + tagLength + SrtpProfileInfo.RtcpIndexLength;
        return SrtpStatus.Ok;
    }

    /// <summary>
    /// Authenticates, replay-checks (per sender SSRC, on the SRTCP index) and decrypts an SRTCP packet in place.
    /// Packets with E = 0 are authenticated only. On failure the buffer contents are unspecified.
    /// </summary>
    public SrtpStatus UnprotectRtcp(Span<byte> buffer, int length, out int plainLength)
    {
        plainLength = 0;
        if ((uint)length > (uint)buffer.Length)
        {
            return SrtpStatus.BufferTooSmall;
        }

        int tagLength = _rtcpTagLength;
        if (length < RtcpHeaderLength + SrtpProfileInfo.RtcpIndexLength + tagLength)
        {
            return SrtpStatus.TooShort;
        }

        if ((buffer[0] >> 6) != 2)
        {
            return SrtpStatus.InvalidPacket;
        }

        int plainEnd = length - tagLength - SrtpProfileInfo.RtcpIndexLength;
        int trailerAt = _aead ? length - SrtpProfileInfo.RtcpIndexLength : plainEnd;
        uint trailer = BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(trailerAt));
        bool encrypted = (trailer & EncryptedFlag) != 0;
        uint index = trailer & MaxRtcpIndex;
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(4));

        SrtpStreamTable table = _rtcpReceive;
        int slot = table.Find(ssrc);
        if (slot >= 0)
        {
            if (!_replayDisabled)
            {
                SrtpStatus status = SrtpReplayWindow.Check(table.Bitmap(slot), table.Highest(slot), index);
                if (status != SrtpStatus.Ok)
                {
                    return status;
                }
            }
        }
        else if (table.IsFull)
        {
            return SrtpStatus.TooManyStreams;
        }

        if (_aead)
        {
            Span<byte> nonce = stackalloc byte[SrtpAeadCipher.NonceLength];
            BuildRtcpNonce(nonce, ssrc, index);
            bool ok;
            if (encrypted)
            {
                Span<byte> aad = stackalloc byte[RtcpHeaderLength + SrtpProfileInfo.RtcpIndexLength];
                buffer.Slice(0, RtcpHeaderLength).CopyTo(aad);
                BinaryPrimitives.WriteUInt32BigEndian(aad.Slice(RtcpHeaderLength), trailer);
                ok = _rtcpAead!.Open(
                    nonce, aad, buffer.Slice(RtcpHeaderLength, plainEnd - RtcpHeaderLength), buffer.Slice(plainEnd, tagLength));
            }
            else
            {
                // RFC 7714 §10: AAD is the whole packet followed by E||index; move the trailer next to it.
                Span<byte> tag = stackalloc byte[SrtpAeadCipher.TagLength];
                buffer.Slice(plainEnd, tagLength).CopyTo(tag);
                BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(plainEnd), trailer);
                ok = _rtcpAead!.Open(nonce, buffer.Slice(0, plainEnd + SrtpProfileInfo.RtcpIndexLength), Span<byte>.Empty, tag);
            }

            if (!ok)
            {
                return SrtpStatus.AuthenticationFailed;
            }
        }
        else
        {
            Span<byte> mac = stackalloc byte[SrtpCounterModeCipher.MacLength];
            SrtpCounterModeCipher cipher = _rtcpCounterMode!;
            int authenticated = plainEnd + SrtpProfileInfo.RtcpIndexLength;
            if (!cipher.ComputeMac(buffer.Slice(0, authenticated), default, mac)
                || !CryptographicOperations.FixedTimeEquals(mac.Slice(0, tagLength), buffer.Slice(authenticated, tagLength)))
            {
                return SrtpStatus.AuthenticationFailed;
            }

            if (encrypted)
            {
                Span<byte> iv = stackalloc byte[16];
                BuildCounterIv(iv, _rtcpSalt, ssrc, index);
                if (!cipher.ApplyKeystream(iv, buffer.Slice(RtcpHeaderLength, plainEnd - RtcpHeaderLength)))
                {
                    return SrtpStatus.AuthenticationFailed;
                }
            }
        }

        if (slot < 0)
        {
            table.Add(ssrc, index, markReceived: true);
        }
        else
        {
            SrtpReplayWindow.Accept(table.Bitmap(slot), ref table.Highest(slot), index);
        }

        plainLength = plainEnd;
        return SrtpStatus.Ok;
    }

    /// <summary>Test hook: the SRTCP index the next ProtectRtcp for <paramref name="ssrc"/> uses.</summary>
    internal void SetRtcpSendIndex(uint ssrc, uint nextIndex)
    {
        int slot = _rtcpSend.Find(ssrc);
        if (slot < 0)
        {
            slot = _rtcpSend.Add(ssrc, nextIndex, markReceived: false);
        }

        _rtcpSend.Highest(slot) = nextIndex;
    }

    /// <summary>GCM SRTCP IV = salt XOR (0x0000 || SSRC || 0x0000 || 0 || SRTCP index) (RFC 7714 §9.1).</summary>
    private void BuildRtcpNonce(Span<byte> nonce, uint ssrc, uint index)
    {
        _rtcpSalt.AsSpan(0, SrtpAeadCipher.NonceLength).CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce.Slice(2), BinaryPrimitives.ReadUInt32BigEndian(nonce.Slice(2)) ^ ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(nonce.Slice(8), BinaryPrimitives.ReadUInt32BigEndian(nonce.Slice(8)) ^ index);
    }
}
