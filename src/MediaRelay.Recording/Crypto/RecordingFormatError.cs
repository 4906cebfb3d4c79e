namespace MediaRelay.Recording.Crypto;

/// <summary>Why a recording file was rejected (<see cref="RecordingFormatException.Error"/>).</summary>
public enum RecordingFormatError
{
    /// <summary>Shorter than the 32-byte file header: the writer died while creating it, nothing to recover.</summary>
    TruncatedHeader,

    /// <summary>Bad magic, bad header checksum, nonzero reserved bits, unknown algorithm or limits.</summary>
    InvalidHeader,

    /// <summary>A format version this reader does not know.</summary>
    UnsupportedVersion,

    /// <summary>The file is encrypted and no key was supplied.</summary>
    KeyMissing,

    /// <summary>The file is encrypted with a key whose id matches none of the supplied keys.</summary>
    KeyMismatch,

    /// <summary>A chunk failed its check (GCM tag or CRC), its framing is corrupt, or chunks were reordered.</summary>
    CorruptChunk,

    /// <summary>Bytes follow the final chunk.</summary>
    DataAfterFinalChunk,

    /// <summary>A consumer that needs a complete file (download stream) met a truncated one.</summary>
    IncompleteFile,

    /// <summary>The verified plaintext does not follow the expected inner format (journal records).</summary>
    InvalidContent,
}
