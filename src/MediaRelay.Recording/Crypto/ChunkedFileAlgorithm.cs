namespace MediaRelay.Recording.Crypto;

/// <summary>How the chunks of a chunked recording file are protected (header byte 5).</summary>
public enum ChunkedFileAlgorithm : byte
{
    /// <summary>Plaintext chunks, each followed by a CRC-32C (detects torn writes and accidental corruption, not tampering).</summary>
    None = 0,

    /// <summary>AES-256-GCM, 12-byte nonce, 16-byte tag (NIST SP 800-38D): confidentiality and integrity.</summary>
    Aes256Gcm = 1,
}
