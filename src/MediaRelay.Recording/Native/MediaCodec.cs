namespace MediaRelay.Recording.Native;

/// <summary>Codecs the native muxer carries; values match MR_CODEC_* in native/mediarelay_av.h.</summary>
public enum MediaCodec
{
    Unknown = 0,
    Vp8 = 1,
    H264 = 2,
    Opus = 3,
    Vp9 = 4,
}
