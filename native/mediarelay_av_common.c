/*
 * mediarelay_av common parts: error text, log level, codec identifiers and the small bitstream helpers the muxer
 * needs (H.264 parameter sets, Opus packet duration).
 */
#include "mediarelay_av.h"
#include "mediarelay_av_internal.h"

#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int mr_fail(char *error, int code, const char *format, ...)
{
    char reason[AV_ERROR_MAX_STRING_SIZE];
    va_list args;
    int used;
    va_start(args, format);
    used = vsnprintf(error, MR_ERROR_SIZE, format, args);
    va_end(args);
    if (used >= 0 && used < MR_ERROR_SIZE - 3) {
        av_strerror(code, reason, sizeof reason);
        snprintf(error + used, (size_t)(MR_ERROR_SIZE - used), ": %s", reason);
    }
    return code;
}

int mr_codec_from_id(enum AVCodecID id)
{
    switch (id) {
    case AV_CODEC_ID_VP8: return MR_CODEC_VP8;
    case AV_CODEC_ID_VP9: return MR_CODEC_VP9;
    case AV_CODEC_ID_H264: return MR_CODEC_H264;
    case AV_CODEC_ID_OPUS: return MR_CODEC_OPUS;
    default: return MR_CODEC_UNKNOWN;
    }
}

static int mr_log_level_set;

/* FFmpeg logs at INFO to stderr by default ("Starting second pass..."); the shim keeps errors only unless told. */
void mr_default_log_level(void)
{
    if (!mr_log_level_set) {
        mr_log_level_set = 1;
        av_log_set_level(AV_LOG_ERROR);
    }
}

void mr_set_log_level(int level)
{
    mr_log_level_set = 1;
    av_log_set_level(level);
}

int mr_abi_version(void) { return 1; }

int mr_strerror(int code, char *buffer, int capacity)
{
    if (!buffer || capacity <= 0)
        return AVERROR(EINVAL);
    return av_strerror(code, buffer, (size_t)capacity);
}

enum AVCodecID mr_codec_id(int codec)
{
    switch (codec) {
    case MR_CODEC_VP8: return AV_CODEC_ID_VP8;
    case MR_CODEC_VP9: return AV_CODEC_ID_VP9;
    case MR_CODEC_H264: return AV_CODEC_ID_H264;
    case MR_CODEC_OPUS: return AV_CODEC_ID_OPUS;
    default: return AV_CODEC_ID_NONE;
    }
}

int mr_set_extradata(AVCodecParameters *parameters, const uint8_t *data, int size)
{
    av_freep(&parameters->extradata);
    parameters->extradata_size = 0;
    parameters->extradata = av_mallocz((size_t)size + AV_INPUT_BUFFER_PADDING_SIZE);
    if (!parameters->extradata)
        return AVERROR(ENOMEM);
    memcpy(parameters->extradata, data, (size_t)size);
    parameters->extradata_size = size;
    return 0;
}

/* Annex B (ITU-T H.264 B.1.2): finds the next start code at or after position; returns the payload offset. */
static int mr_next_nal(const uint8_t *data, int size, int position, int *payload)
{
    for (int i = position; i + 3 <= size; i++) {
        if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
            *payload = i + 3;
            return i;
        }
    }
    return -1;
}

/* Copies the SPS (type 7) and PPS (type 8) NAL units of an Annex B access unit into out as Annex B; returns the
 * length when both were found, 0 otherwise. */
int mr_extract_parameter_sets(const uint8_t *data, int size, uint8_t *out, int capacity)
{
    int length = 0, has_sps = 0, has_pps = 0, payload = 0;
    int start = mr_next_nal(data, size, 0, &payload);
    while (start >= 0) {
        int next_payload = 0;
        int next = mr_next_nal(data, size, payload, &next_payload);
        int end = next >= 0 ? next : size;
        while (end > payload && data[end - 1] == 0)
            end--; /* trailing_zero_8bits and the leading zero of a 4-byte start code */
        if (end > payload) {
            int type = data[payload] & 0x1f;
            if ((type == 7 || type == 8) && length + 4 + (end - payload) <= capacity) {
                out[length++] = 0;
                out[length++] = 0;
                out[length++] = 0;
                out[length++] = 1;
                memcpy(out + length, data + payload, (size_t)(end - payload));
                length += end - payload;
                has_sps |= type == 7;
                has_pps |= type == 8;
            }
        }
        start = next;
        payload = next_payload;
    }
    return has_sps && has_pps ? length : 0;
}

/* RFC 6716 section 3.1: duration of an Opus packet in 48 kHz samples from its TOC byte, 0 when unknown. */
int mr_opus_samples(const uint8_t *data, int size)
{
    static const int silk[4] = {480, 960, 1920, 2880};
    static const int celt[4] = {120, 240, 480, 960};
    int config, per_frame, frames;
    if (size < 1)
        return 0;
    config = data[0] >> 3;
    if (config < 12)
        per_frame = silk[config & 3];
    else if (config < 16)
        per_frame = (config & 1) ? 960 : 480;
    else
        per_frame = celt[config & 3];
    switch (data[0] & 3) {
    case 0: frames = 1; break;
    case 1:
    case 2: frames = 2; break;
    default:
        if (size < 2)
            return 0;
        frames = data[1] & 0x3f;
        break;
    }
    return per_frame * frames;
}
