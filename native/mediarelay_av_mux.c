/*
 * mediarelay_av muxer: writes already-encoded VP8 / H.264 (Annex B) / Opus frames into WebM, Matroska or MP4
 * through libavformat 5.1. See mediarelay_av.h for the contract.
 */
#include "mediarelay_av.h"
#include "mediarelay_av_internal.h"

#include <libavcodec/avcodec.h>
#include <libavcodec/bsf.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libavutil/mathematics.h>
#include <libavutil/mem.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MR_MAX_STREAMS 8
#define MR_MAX_QUEUED 16384

typedef struct mr_track {
    AVStream *stream;
    int codec;
    int needs_parameter_sets; /* H.264 without extradata: the header waits for SPS/PPS */
    int64_t last_dts;         /* stream time base; AV_NOPTS_VALUE before the first packet */
    int64_t last_duration;    /* stream time base */
    AVPacket *held;           /* one packet held back until the next one gives its duration */
} mr_track;

enum { MR_STATE_NEW, MR_STATE_OPEN, MR_STATE_BEGUN, MR_STATE_FINISHED, MR_STATE_FAILED };

struct mr_muxer {
    AVFormatContext *context;
    int state;
    int header_written;
    int track_count;
    mr_track tracks[MR_MAX_STREAMS];
    AVPacket *scratch;
    AVPacket **queue; /* packets written before the header could be (timestamps still in microseconds) */
    int queue_count;
    int queue_capacity;
    char error[MR_ERROR_SIZE];
};

mr_muxer *mr_muxer_new(void)
{
    mr_muxer *m;
    mr_default_log_level();
    m = av_mallocz(sizeof *m);
    if (!m)
        return NULL;
    m->scratch = av_packet_alloc();
    if (!m->scratch) {
        av_free(m);
        return NULL;
    }
    return m;
}

int mr_muxer_open(mr_muxer *m, const char *path, const char *container)
{
    int result;
    if (!m || !path || !container)
        return AVERROR(EINVAL);
    if (m->state != MR_STATE_NEW)
        return mr_fail(m->error, AVERROR(EINVAL), "open: the muxer is already open");
    if (strcmp(container, "mkv") == 0)
        container = "matroska";
    if (strcmp(container, "webm") != 0 && strcmp(container, "matroska") != 0 && strcmp(container, "mp4") != 0)
        return mr_fail(m->error, AVERROR(EINVAL), "open: unknown container '%s' (webm, matroska or mp4)", container);
    result = avformat_alloc_output_context2(&m->context, NULL, container, path);
    if (result < 0)
        return mr_fail(m->error, result, "open: no '%s' muxer", container);
    result = avio_open(&m->context->pb, path, AVIO_FLAG_WRITE);
    if (result < 0) {
        m->state = MR_STATE_FAILED;
        return mr_fail(m->error, result, "open: cannot write '%s'", path);
    }
    m->state = MR_STATE_OPEN;
    return 0;
}

static int mr_add_stream(mr_muxer *m, int codec, const char *role, AVStream **stream)
{
    enum AVCodecID id = mr_codec_id(codec);
    if (!m)
        return AVERROR(EINVAL);
    if (m->state != MR_STATE_OPEN)
        return mr_fail(m->error, AVERROR(EINVAL), "add %s: the muxer must be open and not begun", role);
    if (id == AV_CODEC_ID_NONE)
        return mr_fail(m->error, AVERROR(EINVAL), "add %s: unknown codec %d", role, codec);
    if (m->track_count == MR_MAX_STREAMS)
        return mr_fail(m->error, AVERROR(EINVAL), "add %s: at most %d streams", role, MR_MAX_STREAMS);
    if (avformat_query_codec(m->context->oformat, id, FF_COMPLIANCE_NORMAL) != 1)
        return mr_fail(m->error, AVERROR(EINVAL), "add %s: %s does not carry %s", role, m->context->oformat->name,
                       avcodec_get_name(id));
    *stream = avformat_new_stream(m->context, NULL);
    if (!*stream)
        return mr_fail(m->error, AVERROR(ENOMEM), "add %s", role);
    (*stream)->codecpar->codec_id = id;
    m->tracks[m->track_count].stream = *stream;
    m->tracks[m->track_count].codec = codec;
    m->tracks[m->track_count].last_dts = AV_NOPTS_VALUE;
    m->tracks[m->track_count].held = av_packet_alloc();
    if (!m->tracks[m->track_count].held)
        return mr_fail(m->error, AVERROR(ENOMEM), "add %s", role);
    return m->track_count++;
}

int mr_muxer_add_video(mr_muxer *m, int codec, int width, int height, const uint8_t *extradata, int extradata_size)
{
    AVStream *stream = NULL;
    int index, result;
    if (m && (width <= 0 || height <= 0 || extradata_size < 0 || (extradata_size > 0 && !extradata)))
        return mr_fail(m->error, AVERROR(EINVAL), "add video: invalid size %dx%d or extradata", width, height);
    if (m && codec == MR_CODEC_OPUS)
        return mr_fail(m->error, AVERROR(EINVAL), "add video: opus is audio");
    if (m && codec == MR_CODEC_H264 && extradata_size > 0 && extradata[0] == 1)
        return mr_fail(m->error, AVERROR(EINVAL), "add video: H.264 extradata must be Annex B SPS/PPS, not avcC");
    index = mr_add_stream(m, codec, "video", &stream);
    if (index < 0)
        return index;
    stream->codecpar->codec_type = AVMEDIA_TYPE_VIDEO;
    stream->codecpar->width = width;
    stream->codecpar->height = height;
    stream->time_base = (AVRational){1, 90000}; /* RTP video clock; the muxer may pick its own (1/1000 in mkv) */
    if (extradata_size > 0) {
        result = mr_set_extradata(stream->codecpar, extradata, extradata_size);
        if (result < 0)
            return mr_fail(m->error, result, "add video");
    }
    m->tracks[index].needs_parameter_sets = codec == MR_CODEC_H264 && extradata_size == 0;
    return index;
}

int mr_muxer_add_audio(mr_muxer *m, int codec, int sample_rate, int channels, const uint8_t *extradata,
                       int extradata_size)
{
    AVStream *stream = NULL;
    uint8_t head[19];
    int index, result;
    if (m && (sample_rate <= 0 || channels <= 0 || channels > 8 || extradata_size < 0 ||
              (extradata_size > 0 && !extradata)))
        return mr_fail(m->error, AVERROR(EINVAL), "add audio: invalid rate %d, channels %d or extradata",
                       sample_rate, channels);
    if (m && codec != MR_CODEC_OPUS)
        return mr_fail(m->error, AVERROR(EINVAL), "add audio: only opus is supported");
    if (m && extradata_size == 0 && channels > 2)
        return mr_fail(m->error, AVERROR(EINVAL), "add audio: more than 2 channels needs an OpusHead");
    index = mr_add_stream(m, codec, "audio", &stream);
    if (index < 0)
        return index;
    if (extradata_size == 0) {
        /* RFC 7845 section 5.1: the identification header, mapping family 0. */
        memcpy(head, "OpusHead", 8);
        head[8] = 1;                      /* version */
        head[9] = (uint8_t)channels;      /* output channel count */
        head[10] = head[11] = 0;          /* pre-skip: RTP Opus carries no encoder delay to trim */
        head[12] = (uint8_t)(sample_rate & 0xff); /* input sample rate, little endian, informational */
        head[13] = (uint8_t)((sample_rate >> 8) & 0xff);
        head[14] = (uint8_t)((sample_rate >> 16) & 0xff);
        head[15] = (uint8_t)((sample_rate >> 24) & 0xff);
        head[16] = head[17] = 0;          /* output gain */
        head[18] = 0;                     /* channel mapping family */
        extradata = head;
        extradata_size = sizeof head;
    } else if (extradata_size < 19 || memcmp(extradata, "OpusHead", 8) != 0) {
        return mr_fail(m->error, AVERROR(EINVAL), "add audio: extradata is not an OpusHead (RFC 7845 5.1)");
    }
    stream->codecpar->codec_type = AVMEDIA_TYPE_AUDIO;
    stream->codecpar->sample_rate = sample_rate;
    av_channel_layout_default(&stream->codecpar->ch_layout, channels);
    stream->codecpar->initial_padding = extradata[10] | (extradata[11] << 8);
    stream->time_base = (AVRational){1, sample_rate};
    result = mr_set_extradata(stream->codecpar, extradata, extradata_size);
    if (result < 0)
        return mr_fail(m->error, result, "add audio");
    return index;
}

/* Sends the held packet of a track (its duration known now) and holds packet in its place. */
static int mr_submit(mr_muxer *m, mr_track *track, AVPacket *packet)
{
    int result = 0;
    if (track->held->data) {
        track->held->duration = packet->dts - track->held->dts;
        track->last_duration = track->held->duration;
        result = av_interleaved_write_frame(m->context, track->held);
        av_packet_unref(track->held);
    }
    av_packet_move_ref(track->held, packet);
    return result;
}

/* Rescales a packet whose timestamps are in microseconds to its stream, strictly increasing, and submits it. */
static int mr_timestamp_and_submit(mr_muxer *m, AVPacket *packet)
{
    mr_track *track = &m->tracks[packet->stream_index];
    int64_t ts = av_rescale_q(packet->pts, mr_microseconds, track->stream->time_base);
    if (track->last_dts != AV_NOPTS_VALUE && ts <= track->last_dts)
        ts = track->last_dts + 1;
    track->last_dts = ts;
    packet->pts = packet->dts = ts;
    packet->time_base = track->stream->time_base;
    return mr_submit(m, track, packet);
}

static int mr_write_header(mr_muxer *m)
{
    AVDictionary *options = NULL;
    int result;
    if (strcmp(m->context->oformat->name, "mp4") == 0)
        av_dict_set(&options, "movflags", "+faststart", 0);
    result = avformat_write_header(m->context, &options);
    av_dict_free(&options);
    if (result < 0)
        return mr_fail(m->error, result, "write header (%s)", m->context->oformat->name);
    m->header_written = 1;
    for (int i = 0; i < m->queue_count; i++) {
        if (result >= 0)
            result = mr_timestamp_and_submit(m, m->queue[i]);
        av_packet_free(&m->queue[i]);
    }
    m->queue_count = 0;
    if (result < 0)
        return mr_fail(m->error, result, "write queued packets");
    return 0;
}

static int mr_header_ready(const mr_muxer *m)
{
    for (int i = 0; i < m->track_count; i++)
        if (m->tracks[i].needs_parameter_sets)
            return 0;
    return 1;
}

int mr_muxer_begin(mr_muxer *m)
{
    int result;
    if (!m)
        return AVERROR(EINVAL);
    if (m->state != MR_STATE_OPEN)
        return mr_fail(m->error, AVERROR(EINVAL), "begin: the muxer must be open and not begun");
    if (m->track_count == 0)
        return mr_fail(m->error, AVERROR(EINVAL), "begin: no streams");
    m->state = MR_STATE_BEGUN;
    if (!mr_header_ready(m))
        return 0; /* waits for the H.264 parameter sets */
    result = mr_write_header(m);
    if (result < 0)
        m->state = MR_STATE_FAILED;
    return result;
}

/* Before the header: learns H.264 parameter sets, queues the packet, writes the header once everything is known. */
static int mr_write_before_header(mr_muxer *m, mr_track *track, AVPacket *packet)
{
    if (track->needs_parameter_sets) {
        uint8_t sets[1024];
        int length = mr_extract_parameter_sets(packet->data, packet->size, sets, sizeof sets);
        if (length == 0) {
            av_packet_unref(packet); /* undecodable without SPS/PPS: dropped */
            return 0;
        }
        if (mr_set_extradata(track->stream->codecpar, sets, length) < 0)
            return mr_fail(m->error, AVERROR(ENOMEM), "write");
        track->needs_parameter_sets = 0;
    }
    if (m->queue_count == m->queue_capacity) {
        int capacity = m->queue_capacity ? m->queue_capacity * 2 : 64;
        AVPacket **grown;
        if (capacity > MR_MAX_QUEUED)
            return mr_fail(m->error, AVERROR(ENOSPC), "write: %d packets before the H.264 parameter sets",
                           MR_MAX_QUEUED);
        grown = av_realloc_array(m->queue, (size_t)capacity, sizeof *grown);
        if (!grown)
            return mr_fail(m->error, AVERROR(ENOMEM), "write");
        m->queue = grown;
        m->queue_capacity = capacity;
    }
    m->queue[m->queue_count] = av_packet_alloc();
    if (!m->queue[m->queue_count])
        return mr_fail(m->error, AVERROR(ENOMEM), "write");
    av_packet_move_ref(m->queue[m->queue_count++], packet);
    return mr_header_ready(m) ? mr_write_header(m) : 0;
}

int mr_muxer_write(mr_muxer *m, int stream, int64_t pts_us, int keyframe, const uint8_t *data, int size)
{
    AVPacket *packet;
    mr_track *track;
    int result;
    if (!m)
        return AVERROR(EINVAL);
    if (m->state != MR_STATE_BEGUN)
        return mr_fail(m->error, AVERROR(EINVAL), "write: call begin first (or the muxer failed/finished)");
    if (stream < 0 || stream >= m->track_count)
        return mr_fail(m->error, AVERROR(EINVAL), "write: no stream %d", stream);
    if (size <= 0 || !data)
        return mr_fail(m->error, AVERROR(EINVAL), "write: empty packet on stream %d", stream);
    track = &m->tracks[stream];
    packet = m->scratch;
    result = av_new_packet(packet, size);
    if (result < 0)
        return mr_fail(m->error, result, "write");
    memcpy(packet->data, data, (size_t)size);
    packet->stream_index = stream;
    packet->pts = packet->dts = pts_us;
    if (keyframe || track->codec == MR_CODEC_OPUS)
        packet->flags |= AV_PKT_FLAG_KEY;
    if (m->header_written) {
        result = mr_timestamp_and_submit(m, packet);
        if (result < 0)
            mr_fail(m->error, result, "write on stream %d at %lld us", stream, (long long)pts_us);
    } else {
        result = mr_write_before_header(m, track, packet);
    }
    av_packet_unref(packet);
    if (result < 0)
        m->state = MR_STATE_FAILED; /* the file cannot be completed consistently any more */
    return result;
}

int mr_muxer_finish(mr_muxer *m)
{
    int result = 0;
    if (!m)
        return AVERROR(EINVAL);
    if (m->state != MR_STATE_BEGUN)
        return mr_fail(m->error, AVERROR(EINVAL), "finish: the muxer was not begun (or failed/finished)");
    m->state = MR_STATE_FAILED;
    if (!m->header_written)
        return mr_fail(m->error, AVERROR(EINVAL), "finish: no H.264 packet carried SPS/PPS, nothing playable");
    for (int i = 0; i < m->track_count && result >= 0; i++) {
        mr_track *track = &m->tracks[i];
        if (!track->held->data)
            continue;
        if (track->codec == MR_CODEC_OPUS) {
            int samples = mr_opus_samples(track->held->data, track->held->size);
            track->held->duration = av_rescale_q(samples, (AVRational){1, 48000}, track->stream->time_base);
        } else {
            track->held->duration = track->last_duration > 0 ? track->last_duration
                                                             : av_rescale_q(1, (AVRational){1, 30},
                                                                            track->stream->time_base);
        }
        result = av_interleaved_write_frame(m->context, track->held);
        av_packet_unref(track->held);
    }
    if (result < 0)
        return mr_fail(m->error, result, "finish: flush");
    result = av_write_trailer(m->context);
    if (result < 0)
        return mr_fail(m->error, result, "finish: trailer");
    result = avio_closep(&m->context->pb);
    if (result < 0)
        return mr_fail(m->error, result, "finish: close");
    m->state = MR_STATE_FINISHED;
    return 0;
}

const char *mr_muxer_last_error(const mr_muxer *m) { return m ? m->error : "null muxer"; }

void mr_muxer_free(mr_muxer *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->track_count; i++)
        av_packet_free(&m->tracks[i].held);
    for (int i = 0; i < m->queue_count; i++)
        av_packet_free(&m->queue[i]);
    av_freep(&m->queue);
    av_packet_free(&m->scratch);
    if (m->context) {
        if (m->context->pb)
            avio_closep(&m->context->pb);
        avformat_free_context(m->context);
    }
    av_free(m);
}
