using System.Diagnostics;
using MediaRelay.Rtp;
using MediaRelay.Srtp;

namespace MediaRelay.LoadTest.Peers;

/// <summary>A publisher's outgoing streams: Opus-sized audio every 20 ms and VP8-shaped video frames.</summary>
internal sealed partial class LoadPeer
{
    public const int MaxVideoPayload = 1100;
    public const int AudioPayloadBytes = 80; // Opus at 32 kbit/s, 20 ms frames

    private ushort _audioSequence = (ushort)Random.Shared.Next(65536);
    private ushort _videoSequence = (ushort)Random.Shared.Next(65536);
    private uint _audioTimestamp = (uint)Random.Shared.Next();
    private uint _videoTimestamp = (uint)Random.Shared.Next();

    public long AudioPacketsSent;
    public long VideoPacketsSent;

    /// <summary>
    /// While set, a connected publisher sends no media (ICE checks and DTLS go on): the record command holds every
    /// publisher until all peers of the run are connected, so every subscriber and the recorder see the first packet,
    /// and holds them again before it counts. A held video stream keeps its pending key-frame request.
    /// </summary>
    public volatile bool MediaHeld;

    /// <summary>One 20 ms audio packet (RFC 7587: 48 kHz clock, 960 samples).</summary>
    public void SendAudio(Span<byte> scratch)
    {
        if (_send is null || MediaHeld)
        {
            return;
        }
        int header = WriteHeader(scratch, AudioPayloadType, marker: false, _audioSequence++, _audioTimestamp, AudioSsrc);
        _audioTimestamp += 960;
        Span<byte> payload = scratch.Slice(header, AudioPayloadBytes);
        payload.Fill(0x5A);
        LoadPayload.WriteMarker(payload, Index, Stopwatch.GetTimestamp());
        if (ProtectAndSend(scratch, header + AudioPayloadBytes))
        {
            AudioPacketsSent++;
        }
    }

    /// <summary>One video frame of <paramref name="frameBytes"/> split into packets (90 kHz clock, 30 fps).</summary>
    public void SendVideoFrame(Span<byte> scratch, int frameBytes)
    {
        if (_send is null || MediaHeld)
        {
            return;
        }
        bool keyFrame = KeyFrameWanted;
        KeyFrameWanted = false;
        if (keyFrame)
        {
            frameBytes *= 3; // key frames are larger
        }
        int packets = Math.Max(1, (frameBytes + MaxVideoPayload - 1) / MaxVideoPayload);
        int perPacket = Math.Max(LoadPayload.VideoMarkerOffset + LoadPayload.MarkerLength, frameBytes / packets);
        for (int i = 0; i < packets; i++)
        {
            int header = WriteHeader(scratch, VideoPayloadType, marker: i == packets - 1, _videoSequence++, _videoTimestamp, VideoSsrc);
            Span<byte> payload = scratch.Slice(header, perPacket);
            payload.Fill(0xA5);
            int offset = LoadPayload.WriteVideoPrefix(payload, firstOfFrame: i == 0, keyFrame);
            LoadPayload.WriteMarker(payload[offset..], Index, Stopwatch.GetTimestamp());
            if (ProtectAndSend(scratch, header + perPacket))
            {
                VideoPacketsSent++;
            }
        }
        _videoTimestamp += 3000;
    }

    private static int WriteHeader(Span<byte> buffer, byte payloadType, bool marker, ushort sequence, uint timestamp, uint ssrc) =>
        RtpHeaderWriter.Write(buffer, marker, payloadType, sequence, timestamp, ssrc);

    private bool ProtectAndSend(Span<byte> buffer, int length)
    {
        if (_send!.ProtectRtp(buffer, length, out int protectedLength) != SrtpStatus.Ok)
        {
            SendErrors++;
            return false;
        }
        long before = SendErrors;
        Send(buffer[..protectedLength]);
        return SendErrors == before;
    }
}
