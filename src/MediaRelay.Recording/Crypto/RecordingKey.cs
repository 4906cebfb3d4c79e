using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using MediaRelay.Core;

namespace MediaRelay.Recording.Crypto;

/// <summary>
/// A 256-bit key for encrypting recordings at rest, with an 8-byte id written into every file header so keys can
/// rotate: readers hold several keys and pick the one whose id the file names. The id is a fingerprint of the key
/// (first 8 bytes of SHA-256("MediaRelay recording key v1" || key)), so it never needs configuring, two different
/// keys practically never share an id, and a wrong key is reported as such rather than as tampering.
/// </summary>
public sealed class RecordingKey
{
    public const int KeyLength = 32;

    private static readonly byte[] IdLabel = Encoding.ASCII.GetBytes("MediaRelay recording key v1");

    private readonly byte[] _key;

    public RecordingKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength)
        {
            ThrowHelper.ThrowArgument($"A recording key is {KeyLength} bytes (AES-256); got {key.Length}.", nameof(key));
        }
        _key = key.ToArray();
        Span<byte> input = stackalloc byte[IdLabel.Length + KeyLength];
        IdLabel.CopyTo(input);
        key.CopyTo(input[IdLabel.Length..]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, hash);
        CryptographicOperations.ZeroMemory(input);
        Id = BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    /// <summary>The key's fingerprint, stored big-endian in file header bytes 8..15.</summary>
    public ulong Id { get; }

    /// <summary>The id as 16 lowercase hex digits, for logs and the catalog.</summary>
    public string IdHex => Id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    internal ReadOnlySpan<byte> Bytes => _key;

    /// <summary>A fresh random key.</summary>
    public static RecordingKey Generate()
    {
        Span<byte> key = stackalloc byte[KeyLength];
        RandomNumberGenerator.Fill(key);
        var result = new RecordingKey(key);
        CryptographicOperations.ZeroMemory(key);
        return result;
    }

    /// <summary>Parses a key from standard base64 of exactly 32 bytes (surrounding whitespace ignored).</summary>
    /// <exception cref="FormatException">Not base64, or not 32 bytes.</exception>
    public static RecordingKey FromBase64(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        Span<byte> key = stackalloc byte[KeyLength + 3];
        if (!Convert.TryFromBase64String(base64.Trim(), key, out int written) || written != KeyLength)
        {
            ThrowHelper.ThrowFormat($"A recording key must be base64 of exactly {KeyLength} bytes (e.g. `openssl rand -base64 32`).");
        }
        var result = new RecordingKey(key[..KeyLength]);
        CryptographicOperations.ZeroMemory(key);
        return result;
    }

    public string ToBase64() => Convert.ToBase64String(_key);

    public override string ToString() => $"RecordingKey({IdHex})";
}
