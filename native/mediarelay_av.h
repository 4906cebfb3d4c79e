/*
 * mediarelay_av: a small C shim over libavformat/libavcodec (FFmpeg 5.1, Debian 12) that muxes already-encoded
 * frames (VP8, H.264 Annex B, Opus) into WebM / Matroska / MP4, and a tiny demuxer the tests use.
 *
 * Conventions: every int-returning function returns >= 0 on success and a negative AVERROR code on failure;
 * mr_strerror() turns a code into text and mr_muxer_last_error()/mr_demuxer_last_error() give the message of the
 * last failure on that handle (with context: which call, which stream, which container).
 * Handles are not thread-safe; one thread at a time per handle.
 */
#ifndef MEDIARELAY_AV_H
#define MEDIARELAY_AV_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MR_API __attribute__((visibility("default")))

/* Codec identifiers shared with the C# wrapper (MediaCodec). */
#define MR_CODEC_UNKNOWN 0
#define MR_CODEC_VP8 1
#define MR_CODEC_H264 2
#define MR_CODEC_OPUS 3
#define MR_CODEC_VP9 4

/* Media types reported by the demuxer. */
#define MR_MEDIA_OTHER 0
#define MR_MEDIA_VIDEO 1
#define MR_MEDIA_AUDIO 2

typedef struct mr_muxer mr_muxer;
typedef struct mr_demuxer mr_demuxer;

/* Blittable stream description (mirrored by MediaStreamInfo in C#; 72 bytes on x86-64). */
typedef struct mr_stream_info {
    int32_t media_type;      /* MR_MEDIA_* */
    int32_t codec;           /* MR_CODEC_* */
    int32_t width;           /* video */
    int32_t height;          /* video */
    int32_t sample_rate;     /* audio */
    int32_t channels;        /* audio */
    int64_t duration_us;     /* stream duration, or -1 when unknown */
    int32_t extradata_size;  /* bytes, copy them with mr_demuxer_extradata */
    char codec_name[32];     /* FFmpeg codec name, NUL-terminated ("vp8", "h264", "opus") */
} mr_stream_info;

MR_API int mr_abi_version(void); /* 1 */
MR_API int mr_strerror(int code, char *buffer, int capacity);
/* av_log_set_level (AV_LOG_ERROR = 16 is the shim's default, set when the first muxer/demuxer is created). */
MR_API void mr_set_log_level(int level);

/* ---- muxer ---- */
MR_API mr_muxer *mr_muxer_new(void);
/* container: "webm", "matroska" (alias "mkv") or "mp4"; opens the file for writing (truncates). */
MR_API int mr_muxer_open(mr_muxer *m, const char *path, const char *container);
/* Returns the stream index. extradata may be NULL: VP8 needs none; H.264 takes Annex B SPS/PPS and, when absent,
 * derives them from the first packet that carries both (the header is then written at that packet and earlier
 * packets of other streams are queued). */
MR_API int mr_muxer_add_video(mr_muxer *m, int codec, int width, int height, const uint8_t *extradata,
                              int extradata_size);
/* Returns the stream index. Opus: extradata is an OpusHead (RFC 7845 section 5.1); when NULL the shim builds one
 * (pre-skip 0, gain 0, mapping family 0, so channels must be 1 or 2). */
MR_API int mr_muxer_add_audio(mr_muxer *m, int codec, int sample_rate, int channels, const uint8_t *extradata,
                              int extradata_size);
MR_API int mr_muxer_begin(mr_muxer *m);
/* One access unit (video) or one Opus packet. pts_us in microseconds on the recording's clock; decode order equals
 * presentation order (no B-frames, true of WebRTC VP8/H.264). Timestamps are made strictly increasing per stream. */
MR_API int mr_muxer_write(mr_muxer *m, int stream, int64_t pts_us, int keyframe, const uint8_t *data, int size);
/* Flushes held packets, writes the trailer and closes the file. */
MR_API int mr_muxer_finish(mr_muxer *m);
MR_API const char *mr_muxer_last_error(const mr_muxer *m);
/* Closes without a trailer when not finished (the file is then incomplete). NULL is ignored. */
MR_API void mr_muxer_free(mr_muxer *m);

/* ---- demuxer (tests, export) ---- */
MR_API mr_demuxer *mr_demuxer_new(void);
MR_API int mr_demuxer_open(mr_demuxer *d, const char *path);
MR_API int mr_demuxer_stream_count(const mr_demuxer *d);
MR_API int mr_demuxer_stream_info(const mr_demuxer *d, int stream, mr_stream_info *info);
/* Copies up to capacity bytes of the stream's extradata; returns the full size. */
MR_API int mr_demuxer_extradata(const mr_demuxer *d, int stream, uint8_t *buffer, int capacity);
/* Reads the next packet; returns 1 with a packet, 0 at end of file, negative on error. *data stays valid until the
 * next read or free. H.264 stored length-prefixed (MP4/Matroska avcC) is returned as Annex B access units
 * (h264_mp4toannexb: SPS/PPS are inserted before IDR frames), the form mr_muxer_write takes. */
MR_API int mr_demuxer_read(mr_demuxer *d, int *stream, int64_t *pts_us, int *keyframe, const uint8_t **data,
                           int *size);
MR_API const char *mr_demuxer_last_error(const mr_demuxer *d);
MR_API void mr_demuxer_free(mr_demuxer *d);

#ifdef __cplusplus
}
#endif

#endif
