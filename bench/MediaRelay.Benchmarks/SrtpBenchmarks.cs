using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MediaRelay.Srtp;

namespace MediaRelay.Benchmarks;

/// <summary>
/// SRTP per-packet cost: one 1200-byte-payload RTP packet (12-byte header) protected or unprotected in place,
/// for each profile × backend. Every iteration first copies the 1212-byte plaintext (protect) or the prepared
/// SRTP packet (unprotect) into the work buffer (~20-40 ns of memcpy, included in both directions) and writes an
/// increasing sequence number for protect. The unprotect context disables replay checks (benchmark-only option)
/// so the same authentic packet can be unprotected repeatedly; authentication, ROC estimation and decryption
/// run in full. Expected allocation: 0 B.
/// </summary>
[MemoryDiagnoser]
public class SrtpBenchmarks
{
    private const int PayloadLength = 1200;
    private const int HeaderLength = 12;

    private readonly byte[] _plain = new byte[HeaderLength + PayloadLength];
    private readonly byte[] _buffer = new byte[HeaderLength + PayloadLength + 32];
    private byte[] _protected = [];
    private int _protectedLength;
    private ushort _sequence;
    private SrtpContext? _sender;
    private SrtpContext? _receiver;

    [Params(SrtpProfile.AesCm128HmacSha1_80, SrtpProfile.AeadAes128Gcm)]
    public SrtpProfile Profile { get; set; }

    [Params(SrtpBackend.Managed, SrtpBackend.Native)]
    public SrtpBackend Backend { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        byte[] key = new byte[Profile.MasterKeyLength];
        byte[] salt = new byte[Profile.MasterSaltLength];
        new Random(42).NextBytes(key);
        new Random(43).NextBytes(salt);
        _sender = new SrtpContext(Profile, key, salt, new SrtpContextOptions { Backend = Backend });
        _receiver = new SrtpContext(Profile, key, salt, new SrtpContextOptions { Backend = Backend, DisableReplayProtection = true });

        _plain[0] = 0x80;
        _plain[1] = 96;
        BinaryPrimitives.WriteUInt32BigEndian(_plain.AsSpan(4), 123456);
        BinaryPrimitives.WriteUInt32BigEndian(_plain.AsSpan(8), 0x1234ABCD);
        new Random(44).NextBytes(_plain.AsSpan(HeaderLength));

        using var prepare = new SrtpContext(Profile, key, salt, new SrtpContextOptions { Backend = Backend });
        _plain.CopyTo(_buffer, 0);
        prepare.ProtectRtp(_buffer, _plain.Length, out _protectedLength);
        _protected = _buffer.AsSpan(0, _protectedLength).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender?.Dispose();
        _receiver?.Dispose();
    }

    [Benchmark]
    public SrtpStatus ProtectRtp()
    {
        _plain.CopyTo(_buffer, 0);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(2), _sequence++);
        return _sender!.ProtectRtp(_buffer, _plain.Length, out _);
    }

    [Benchmark]
    public SrtpStatus UnprotectRtp()
    {
        _protected.CopyTo(_buffer, 0);
        return _receiver!.UnprotectRtp(_buffer, _protectedLength, out _);
    }
}
