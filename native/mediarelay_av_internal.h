/* Shared between the muxer and demuxer translation units of the shim; not exported. */
#ifndef MEDIARELAY_AV_INTERNAL_H
#define MEDIARELAY_AV_INTERNAL_H

#include <libavcodec/avcodec.h>
#include <libavutil/rational.h>

#define MR_ERROR_SIZE 320
#define MR_INTERNAL __attribute__((visibility("hidden")))

static const AVRational mr_microseconds = {1, 1000000};

/* Writes "<context>: <av_strerror text>" into error (MR_ERROR_SIZE bytes) and returns code. */
MR_INTERNAL int mr_fail(char *error, int code, const char *format, ...) __attribute__((format(printf, 3, 4)));
MR_INTERNAL int mr_codec_from_id(enum AVCodecID id);
MR_INTERNAL void mr_default_log_level(void);
MR_INTERNAL enum AVCodecID mr_codec_id(int codec);
MR_INTERNAL int mr_set_extradata(AVCodecParameters *parameters, const uint8_t *data, int size);
/* Copies the SPS and PPS of an Annex B access unit into out (Annex B); the length when both exist, else 0. */
MR_INTERNAL int mr_extract_parameter_sets(const uint8_t *data, int size, uint8_t *out, int capacity);
/* RFC 6716 section 3.1: duration of an Opus packet in 48 kHz samples from its TOC byte, 0 when unknown. */
MR_INTERNAL int mr_opus_samples(const uint8_t *data, int size);

#endif
