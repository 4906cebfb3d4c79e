namespace MediaRelay.Recording.Native;

/// <summary>Output file formats of <see cref="MediaMuxer"/>.</summary>
public enum MediaContainer
{
    /// <summary>WebM (Matroska subset): VP8/VP9 and Opus only.</summary>
    Webm = 0,

    /// <summary>Matroska (.mkv): VP8, VP9, H.264 and Opus.</summary>
    Matroska = 1,

    /// <summary>ISO BMFF (.mp4): H.264, VP9 and Opus; written with +faststart.</summary>
    Mp4 = 2,
}
