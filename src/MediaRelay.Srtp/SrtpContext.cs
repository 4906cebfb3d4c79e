using System.Buffers.Binary;
using System.Security.Cryptography;
using MediaRelay.Core;
using MediaRelay.Srtp.Crypto;

namespace MediaRelay.Srtp;

/// <summary>
/// One SRTP/SRTCP cryptographic context (RFC 3711 §3.2): one per direction per peer, keyed from the DTLS-SRTP
/// master key and salt. Protect and unprotect work in place and never allocate or throw on bad input.
/// Sending and receiving stream state are kept apart, so one instance may also do both (tests, loopback).
/// Not thread-safe: use from the owning socket loop only.
/// </summary>
public sealed partial class SrtpContext : IDisposable
{
    private const int RtpHeaderLength = 12;
    private const ulong MaxRtpIndex = (1UL << 48) - 1;

    private readonly int _rtpTagLength;
    private readonly int _rtcpTagLength;
    private readonly bool _aead;
    private readonly bool _replayDisabled;
    private readonly SrtpCounterModeCipher? _rtpCounterMode;
    private readonly SrtpCounterModeCipher? _rtcpCounterMode;
    private readonly SrtpAeadCipher? _rtpAead;
    private readonly SrtpAeadCipher? _rtcpAead;
    private readonly byte[] _rtpSalt; // AES-CM: 14 bytes + 2 zero bytes (salt·2^16); GCM: 12 bytes.
    private readonly byte[] _rtcpSalt;
    private readonly SrtpStreamTable _rtpSend;
    private readonly SrtpStreamTable _rtpReceive;
    private readonly SrtpStreamTable _rtcpSend;
    private readonly SrtpStreamTable _rtcpReceive;
    private bool _disposed;

    public SrtpContext(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, SrtpContextOptions? options = null)
        : this(profile, SrtpSessionKeys.Derive(profile, masterKey, masterSalt), options)
    {
    }

    /// <summary>Builds a context straight from session keys (RFC 7714 §16/§17 vectors give session keys).</summary>
    internal SrtpContext(SrtpProfile profile, SrtpSessionKeys keys, SrtpContextOptions? options)
    {
        options ??= SrtpContextOptions.Default;
        if (options.MaxStreams <= 0)
        {
            ThrowHelper.ThrowArgument("MaxStreams must be positive.", nameof(options));
        }

        Profile = profile;
        Backend = SrtpCipherFactory.Resolve(options.Backend);
        _aead = profile.IsAead;
        _rtpTagLength = profile.RtpTagLength;
        _rtcpTagLength = profile.RtcpTagLength;
        _replayDisabled = options.DisableReplayProtection;
        int saltBuffer = _aead ? SrtpAeadCipher.NonceLength : 16;
        _rtpSalt = new byte[saltBuffer];
        _rtcpSalt = new byte[saltBuffer];
        keys.RtpSalt.CopyTo(_rtpSalt, 0);
        keys.RtcpSalt.CopyTo(_rtcpSalt, 0);
        if (_aead)
        {
            _rtpAead = SrtpCipherFactory.CreateAead(Backend, keys.RtpKey);
            _rtcpAead = SrtpCipherFactory.CreateAead(Backend, keys.RtcpKey);
        }
        else
        {
            _rtpCounterMode = SrtpCipherFactory.CreateCounterMode(Backend, keys.RtpKey, keys.RtpAuthKey);
            _rtcpCounterMode = SrtpCipherFactory.CreateCounterMode(Backend, keys.RtcpKey, keys.RtcpAuthKey);
        }

        keys.Clear();
        int streams = options.MaxStreams;
        _rtpSend = new SrtpStreamTable(streams, 0);
        _rtcpSend = new SrtpStreamTable(streams, 0);
        _rtpReceive = new SrtpStreamTable(streams, SrtpReplayWindow.WordsFor(options.RtpReplayWindow));
        _rtcpReceive = new SrtpStreamTable(streams, SrtpReplayWindow.WordsFor(options.RtcpReplayWindow));
    }

    public SrtpProfile Profile { get; }

    /// <summary>The backend actually in use (Auto resolved).</summary>
    public SrtpBackend Backend { get; }

    /// <summary>
    /// Encrypts and authenticates the RTP packet in buffer[..length] in place (RFC 3711 §3.3, RFC 7714 §8.2) and
    /// appends the tag; buffer must hold length + RtpTagLength bytes.
    /// </summary>
    public SrtpStatus ProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if ((uint)length > (uint)buffer.Length)
        {
            return SrtpStatus.BufferTooSmall;
        }

        SrtpStatus status = ReadRtpHeader(buffer.Slice(0, length), out int headerLength);
        if (status != SrtpStatus.Ok)
        {
            return status;
        }

        int tagLength = _rtpTagLength;
        if (buffer.Length - length < tagLength)
        {
            return SrtpStatus.BufferTooSmall;
        }

        ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(buffer.Slice(2));
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(8));
        SrtpStreamTable table = _rtpSend;
        int slot = table.Find(ssrc);
        ulong index = sequence;
        if (slot < 0)
        {
            if (table.Add(ssrc, index, markReceived: false) < 0)
            {
                return SrtpStatus.TooManyStreams;
            }
        }
        else
        {
            ref ulong highest = ref table.Highest(slot);
            long estimate = EstimateIndex(highest, sequence);
            if (estimate < 0)
            {
                return SrtpStatus.ReplayTooOld;
            }

            index = (ulong)estimate;
            if (index > MaxRtpIndex)
            {
                return SrtpStatus.KeyLimitReached;
            }

            if (index > highest)
            {
                highest = index;
            }
        }

        Span<byte> payload = buffer.Slice(headerLength, length - headerLength);
        if (_aead)
        {
            Span<byte> nonce = stackalloc byte[SrtpAeadCipher.NonceLength];
            BuildRtpNonce(nonce, ssrc, index);
            if (!_rtpAead!.Seal(nonce, buffer.Slice(0, headerLength), payload, buffer.Slice(length, tagLength)))
            {
                return SrtpStatus.AuthenticationFailed;
            }
        }
        else
        {
            Span<byte> iv = stackalloc byte[16];
            BuildCounterIv(iv, _rtpSalt, ssrc, index);
            Span<byte> roc = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(roc, (uint)(index >> 16));
            Span<byte> mac = stackalloc byte[SrtpCounterModeCipher.MacLength];
            SrtpCounterModeCipher cipher = _rtpCounterMode!;
            if (!cipher.ApplyKeystream(iv, payload) || !cipher.ComputeMac(buffer.Slice(0, length), roc, mac))
            {
                return SrtpStatus.AuthenticationFailed;
            }

            mac.Slice(0, tagLength).CopyTo(buffer.Slice(length));
        }

        protectedLength = length + tagLength;
        return SrtpStatus.Ok;
    }

    /// <summary>
    /// Authenticates, replay-checks and decrypts the SRTP packet in buffer[..length] in place (RFC 3711 §3.3,
    /// RFC 7714 §8.2). The replay window and ROC advance only after authentication succeeds. On failure the
    /// buffer contents are unspecified.
    /// </summary>
    public SrtpStatus UnprotectRtp(Span<byte> buffer, int length, out int plainLength)
    {
        plainLength = 0;
        if ((uint)length > (uint)buffer.Length)
        {
            return SrtpStatus.BufferTooSmall;
        }

        int tagLength = _rtpTagLength;
        if (length < RtpHeaderLength + tagLength)
        {
            return SrtpStatus.TooShort;
        }

        int payloadEnd = length - tagLength;
        SrtpStatus status = ReadRtpHeader(buffer.Slice(0, payloadEnd), out int headerLength);
        if (status != SrtpStatus.Ok)
        {
            return status;
        }

        ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(buffer.Slice(2));
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(8));
        SrtpStreamTable table = _rtpReceive;
        int slot = table.Find(ssrc);
        ulong index = sequence; // a new stream starts with ROC 0 and s_l = SEQ (RFC 3711 §3.3.1)
        if (slot >= 0)
        {
            long estimate = EstimateIndex(table.Highest(slot), sequence);
            if (estimate < 0)
            {
                return SrtpStatus.ReplayTooOld;
            }

            index = (ulong)estimate;
            if (!_replayDisabled)
            {
                status = SrtpReplayWindow.Check(table.Bitmap(slot), table.Highest(slot), index);
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

        if (index > MaxRtpIndex)
        {
            return SrtpStatus.KeyLimitReached;
        }

        Span<byte> payload = buffer.Slice(headerLength, payloadEnd - headerLength);
        if (_aead)
        {
            Span<byte> nonce = stackalloc byte[SrtpAeadCipher.NonceLength];
            BuildRtpNonce(nonce, ssrc, index);
            if (!_rtpAead!.Open(nonce, buffer.Slice(0, headerLength), payload, buffer.Slice(payloadEnd, tagLength)))
            {
                return SrtpStatus.AuthenticationFailed;
            }
        }
        else
        {
            Span<byte> roc = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(roc, (uint)(index >> 16));
            Span<byte> mac = stackalloc byte[SrtpCounterModeCipher.MacLength];
            SrtpCounterModeCipher cipher = _rtpCounterMode!;
            if (!cipher.ComputeMac(buffer.Slice(0, payloadEnd), roc, mac)
                || !CryptographicOperations.FixedTimeEquals(mac.Slice(0, tagLength), buffer.Slice(payloadEnd, tagLength)))
            {
                return SrtpStatus.AuthenticationFailed;
            }

            Span<byte> iv = stackalloc byte[16];
            BuildCounterIv(iv, _rtpSalt, ssrc, index);
            if (!cipher.ApplyKeystream(iv, payload))
            {
                return SrtpStatus.AuthenticationFailed;
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

        plainLength = payloadEnd;
        return SrtpStatus.Ok;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _rtpCounterMode?.Dispose();
        _rtcpCounterMode?.Dispose();
        _rtpAead?.Dispose();
        _rtcpAead?.Dispose();
        CryptographicOperations.ZeroMemory(_rtpSalt);
        CryptographicOperations.ZeroMemory(_rtcpSalt);
    }

    /// <summary>RTP fixed header, CSRCs and header extension (RFC 3550 §5.1, §5.3.1).</summary>
    private static SrtpStatus ReadRtpHeader(ReadOnlySpan<byte> packet, out int headerLength)
    {
        headerLength = 0;
        if (packet.Length < RtpHeaderLength)
        {
            return SrtpStatus.TooShort;
        }

        byte first = packet[0];
        if ((first >> 6) != 2)
        {
            return SrtpStatus.InvalidPacket;
        }

        int length = RtpHeaderLength + ((first & 0x0F) << 2);
        if ((first & 0x10) != 0)
        {
            if (packet.Length < length + 4)
            {
                return SrtpStatus.TooShort;
            }

            length += 4 + (BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(length + 2)) << 2);
        }

        if (length > packet.Length)
        {
            return SrtpStatus.TooShort;
        }

        headerLength = length;
        return SrtpStatus.Ok;
    }

    /// <summary>
    /// Packet index guess from the highest accepted index (RFC 3711 §3.3.1 / Appendix A): the candidate among
    /// ROC-1, ROC, ROC+1 closest to s_l. Negative when the packet predates the stream's first ROC.
    /// </summary>
    private static long EstimateIndex(ulong highest, ushort sequence) =>
        (long)highest + (short)(ushort)(sequence - (ushort)highest);

    /// <summary>AES-CM IV = (k_s·2^16) XOR (SSRC·2^64) XOR (i·2^16) (RFC 3711 §4.1.1).</summary>
    private static void BuildCounterIv(Span<byte> iv, ReadOnlySpan<byte> salt, uint ssrc, ulong index)
    {
        salt.Slice(0, 16).CopyTo(iv);
        BinaryPrimitives.WriteUInt32BigEndian(iv.Slice(4), BinaryPrimitives.ReadUInt32BigEndian(iv.Slice(4)) ^ ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(iv.Slice(8), BinaryPrimitives.ReadUInt64BigEndian(iv.Slice(8)) ^ (index << 16));
    }

    /// <summary>GCM IV = salt XOR (0x0000 || SSRC || ROC || SEQ) (RFC 7714 §8.1).</summary>
    private void BuildRtpNonce(Span<byte> nonce, uint ssrc, ulong index)
    {
        _rtpSalt.AsSpan(0, SrtpAeadCipher.NonceLength).CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce.Slice(2), BinaryPrimitives.ReadUInt32BigEndian(nonce.Slice(2)) ^ ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(nonce.Slice(6), BinaryPrimitives.ReadUInt32BigEndian(nonce.Slice(6)) ^ (uint)(index >> 16));
        BinaryPrimitives.WriteUInt16BigEndian(nonce.Slice(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(nonce.Slice(10)) ^ (ushort)index));
    }
}
