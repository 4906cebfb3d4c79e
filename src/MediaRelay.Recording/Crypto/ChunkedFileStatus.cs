namespace MediaRelay.Recording.Crypto;

/// <summary>Where a <see cref="ChunkedFileReader"/> stands.</summary>
public enum ChunkedFileStatus
{
    /// <summary>More chunks may follow.</summary>
    Reading,

    /// <summary>The final chunk was read and verified, and nothing follows it: the writer completed the file.</summary>
    Complete,

    /// <summary>
    /// The file ends without a final chunk (the writer crashed, was killed, or is still writing): every whole chunk
    /// before the end was verified and returned; a torn or zero-filled tail was ignored.
    /// </summary>
    Truncated,
}
