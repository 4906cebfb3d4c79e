namespace MediaRelay.Recording.Native;

/// <summary>What a demuxed stream carries; values match MR_MEDIA_* in native/mediarelay_av.h.</summary>
public enum MediaKind
{
    Other = 0,
    Video = 1,
    Audio = 2,
}
