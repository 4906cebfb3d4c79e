namespace MediaRelay.Recording.Crypto;

/// <summary>What a chunked recording file holds (header byte 6); informative, authenticated with every chunk.</summary>
public enum ChunkedFileContent : byte
{
    Unspecified = 0,

    /// <summary>A per-track journal (see <c>TrackJournalWriter</c>).</summary>
    Journal = 1,

    /// <summary>A finished media file (WebM, Matroska, MP4) stored at rest.</summary>
    Media = 2,
}
