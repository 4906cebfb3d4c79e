/*
 * mediarelay_av demuxer: reads packets and stream parameters of a media file (tests, export), turning avcC H.264
 * into Annex B. See mediarelay_av.h for the contract.
 */
#include "mediarelay_av.h"
#include "mediarelay_av_internal.h"

#include <libavcodec/bsf.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libavutil/mathematics.h>
#include <libavutil/mem.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct mr_demuxer {
    AVFormatContext *context;
    AVPacket *packet;
    AVBSFContext **filters; /* per stream, h264_mp4toannexb where needed */
    char error[MR_ERROR_SIZE];
};

mr_demuxer *mr_demuxer_new(void)
{
    mr_demuxer *d;
    mr_default_log_level();
    d = av_mallocz(sizeof *d);
    if (!d)
        return NULL;
    d->packet = av_packet_alloc();
    if (!d->packet) {
        av_free(d);
        return NULL;
    }
    return d;
}

int mr_demuxer_open(mr_demuxer *d, const char *path)
{
    int result;
    if (!d || !path)
        return AVERROR(EINVAL);
    if (d->context)
        return mr_fail(d->error, AVERROR(EINVAL), "open: the demuxer is already open");
    result = avformat_open_input(&d->context, path, NULL, NULL);
    if (result < 0)
        return mr_fail(d->error, result, "open: cannot read '%s'", path);
    result = avformat_find_stream_info(d->context, NULL);
    if (result < 0)
        return mr_fail(d->error, result, "open: no stream info in '%s'", path);
    d->filters = av_calloc(d->context->nb_streams, sizeof *d->filters);
    if (!d->filters)
        return mr_fail(d->error, AVERROR(ENOMEM), "open");
    for (unsigned i = 0; i < d->context->nb_streams; i++) {
        AVCodecParameters *parameters = d->context->streams[i]->codecpar;
        const AVBitStreamFilter *filter;
        if (parameters->codec_id != AV_CODEC_ID_H264 || parameters->extradata_size < 1 || parameters->extradata[0] != 1)
            continue; /* Annex B already (or no avcC) */
        filter = av_bsf_get_by_name("h264_mp4toannexb");
        if (!filter)
            return mr_fail(d->error, AVERROR_BSF_NOT_FOUND, "open: h264_mp4toannexb");
        result = av_bsf_alloc(filter, &d->filters[i]);
        if (result >= 0)
            result = avcodec_parameters_copy(d->filters[i]->par_in, parameters);
        if (result >= 0) {
            d->filters[i]->time_base_in = d->context->streams[i]->time_base;
            result = av_bsf_init(d->filters[i]);
        }
        if (result < 0)
            return mr_fail(d->error, result, "open: h264_mp4toannexb on stream %u", i);
    }
    return 0;
}

int mr_demuxer_stream_count(const mr_demuxer *d) { return d && d->context ? (int)d->context->nb_streams : 0; }

int mr_demuxer_stream_info(const mr_demuxer *d, int stream, mr_stream_info *info)
{
    const AVStream *st;
    const AVCodecParameters *parameters;
    if (!d || !d->context || !info || stream < 0 || stream >= (int)d->context->nb_streams)
        return AVERROR(EINVAL);
    st = d->context->streams[stream];
    parameters = st->codecpar;
    memset(info, 0, sizeof *info);
    info->media_type = parameters->codec_type == AVMEDIA_TYPE_VIDEO   ? MR_MEDIA_VIDEO
                       : parameters->codec_type == AVMEDIA_TYPE_AUDIO ? MR_MEDIA_AUDIO
                                                                      : MR_MEDIA_OTHER;
    info->codec = mr_codec_from_id(parameters->codec_id);
    info->width = parameters->width;
    info->height = parameters->height;
    info->sample_rate = parameters->sample_rate;
    info->channels = parameters->ch_layout.nb_channels;
    info->duration_us = st->duration != AV_NOPTS_VALUE ? av_rescale_q(st->duration, st->time_base, mr_microseconds)
                                                       : -1;
    info->extradata_size = parameters->extradata_size;
    snprintf(info->codec_name, sizeof info->codec_name, "%s", avcodec_get_name(parameters->codec_id));
    return 0;
}

int mr_demuxer_extradata(const mr_demuxer *d, int stream, uint8_t *buffer, int capacity)
{
    const AVCodecParameters *parameters;
    if (!d || !d->context || stream < 0 || stream >= (int)d->context->nb_streams || capacity < 0)
        return AVERROR(EINVAL);
    parameters = d->context->streams[stream]->codecpar;
    if (buffer && capacity > 0 && parameters->extradata_size > 0)
        memcpy(buffer, parameters->extradata,
               (size_t)(capacity < parameters->extradata_size ? capacity : parameters->extradata_size));
    return parameters->extradata_size;
}

int mr_demuxer_read(mr_demuxer *d, int *stream, int64_t *pts_us, int *keyframe, const uint8_t **data, int *size)
{
    if (!d || !d->context || !stream || !pts_us || !keyframe || !data || !size)
        return AVERROR(EINVAL);
    for (;;) {
        int result, index;
        const AVStream *st;
        int64_t ts;
        av_packet_unref(d->packet);
        result = av_read_frame(d->context, d->packet);
        if (result == AVERROR_EOF)
            return 0;
        if (result < 0)
            return mr_fail(d->error, result, "read");
        index = d->packet->stream_index;
        if (d->filters[index]) {
            result = av_bsf_send_packet(d->filters[index], d->packet);
            if (result >= 0)
                result = av_bsf_receive_packet(d->filters[index], d->packet);
            if (result == AVERROR(EAGAIN))
                continue;
            if (result < 0)
                return mr_fail(d->error, result, "read: h264_mp4toannexb");
        }
        st = d->context->streams[index];
        ts = d->packet->pts != AV_NOPTS_VALUE ? d->packet->pts : d->packet->dts;
        *stream = index;
        *pts_us = ts != AV_NOPTS_VALUE ? av_rescale_q(ts, st->time_base, mr_microseconds) : 0;
        *keyframe = (d->packet->flags & AV_PKT_FLAG_KEY) != 0;
        *data = d->packet->data;
        *size = d->packet->size;
        return 1;
    }
}

const char *mr_demuxer_last_error(const mr_demuxer *d) { return d ? d->error : "null demuxer"; }

void mr_demuxer_free(mr_demuxer *d)
{
    if (!d)
        return;
    if (d->filters && d->context)
        for (unsigned i = 0; i < d->context->nb_streams; i++)
            av_bsf_free(&d->filters[i]);
    av_freep(&d->filters);
    av_packet_free(&d->packet);
    avformat_close_input(&d->context);
    av_free(d);
}
