using MediaRelay.Rtp.Codecs;
using MediaRelay.Rtp.Rtcp;
using MediaRelay.Rtp.Tests.Rtcp;

namespace MediaRelay.Rtp.Tests;

/// <summary>Every parser must survive random and truncated input without throwing.</summary>
public class GarbageTests
{
    [Fact]
    public void RandomBytesNeverThrow()
    {
        var rng = new Random(20240611);
        byte[] buf = new byte[160];
        for (int i = 0; i < 60_000; i++)
        {
            int length = rng.Next(0, buf.Length + 1);
            rng.NextBytes(buf);
            // Bias toward version 2 and RTCP packet types so deeper code runs.
            if ((i & 1) == 0)
            {
                buf[0] = (byte)(0x80 | (buf[0] & 0x3f));
            }
            if ((i & 2) == 0)
            {
                buf[1] = (byte)(200 + (buf[1] % 7));
                buf[2] = 0;
                buf[3] = (byte)(buf[3] % 40);
            }
            if ((i & 4) == 0)
            {
                // Plausible RTP extension header.
                buf[0] = (byte)(0x90 | (buf[0] & 0x01));
                int at = 12 + ((buf[0] & 0x0f) * 4);
                if (at + 4 <= buf.Length)
                {
                    buf[at] = (i & 8) == 0 ? (byte)0xbe : (byte)0x10;
                    buf[at + 1] = (i & 8) == 0 ? (byte)0xde : (byte)0x00;
                    buf[at + 2] = 0;
                    buf[at + 3] = (byte)(buf[at + 3] % 8);
                }
            }
            Exercise(buf.AsSpan(0, length));
        }
    }

    [Fact]
    public void TruncatedValidPacketsNeverThrow()
    {
        byte[] rtcp = RtcpCompoundReaderTests.BuildCompound();
        byte[] rtp = Hex.Bytes("90 6f 00 01 00 00 00 10 00 00 00 20 be de 00 03 10 aa 21 bb bb 00 00 33 cc cc cc cc ff ff");
        byte[] vp9 = Hex.Bytes("8a 01 38 01 40 00 b4 00 a0 00 5a 01 04 01 aa");
        foreach (byte[] source in new[] { rtcp, rtp, vp9 })
        {
            for (int length = 0; length <= source.Length; length++)
            {
                byte[] copy = source.AsSpan(0, length).ToArray();
                Exercise(copy);
                // Also every suffix, so packets inside a compound start mid-buffer.
                Exercise(source.AsSpan(length).ToArray());
            }
        }
    }

    private static void Exercise(Span<byte> data)
    {
        if (RtpPacket.TryParse(data, out var rtp))
        {
            _ = rtp.Marker;
            _ = rtp.PayloadType;
            _ = rtp.SequenceNumber;
            _ = rtp.Timestamp;
            _ = rtp.Ssrc;
            _ = rtp.ExtensionProfile;
            _ = rtp.Payload.Length;
            for (int c = 0; c < rtp.CsrcCount; c++)
            {
                _ = rtp.GetCsrc(c);
            }
            for (int id = 0; id <= 256; id++)
            {
                if (rtp.TryGetExtension(id, out var value))
                {
                    AudioLevel.TryParse(value, out _);
                }
            }
            Assert.True(rtp.HeaderLength + rtp.PaddingLength + rtp.PayloadLength == rtp.Length);
            Assert.True(rtp.PayloadLength >= 0);
        }
        RtpPacket.LooksLikeRtcp(data);

        var reader = new RtcpCompoundReader(data);
        while (reader.TryReadNext(out var p))
        {
            _ = p.Ssrc;
            _ = p.Body.Length;
            ExerciseRtcp(p.Buffer);
        }
        ExerciseRtcp(data);

        Vp8PayloadDescriptor.IsKeyframe(data);
        Vp9PayloadDescriptor.IsKeyframe(data);
        H264Packetization.IsKeyframe(data);
    }

    private static void ExerciseRtcp(Span<byte> packet)
    {
        RtcpHeader.TryParse(packet, out _);
        if (RtcpSenderReport.TryParse(packet, out var sr))
        {
            for (int i = 0; i < sr.ReportCount; i++)
            {
                _ = sr.GetReportBlock(i);
            }
        }
        if (RtcpReceiverReport.TryParse(packet, out var rr))
        {
            for (int i = 0; i < rr.ReportCount; i++)
            {
                _ = rr.GetReportBlock(i);
            }
        }
        if (RtcpSdes.TryParse(packet, out var sdes))
        {
            sdes.TryGetCname(out _, out _);
        }
        if (RtcpBye.TryParse(packet, out var bye))
        {
            for (int i = 0; i < bye.SourceCount; i++)
            {
                _ = bye.GetSsrc(i);
            }
            _ = bye.Reason.Length;
        }
        if (RtcpNack.TryParse(packet, out var nack))
        {
            int count = 0;
            foreach (ushort _ in nack)
            {
                count++;
            }
            Assert.True(count <= nack.PairCount * 17);
        }
        if (RtcpFir.TryParse(packet, out var fir))
        {
            for (int i = 0; i < fir.EntryCount; i++)
            {
                _ = fir.GetEntrySsrc(i);
            }
        }
        if (RtcpPli.TryParse(packet, out var pli))
        {
            _ = pli.MediaSsrc;
        }
        if (RtcpRemb.TryParse(packet, out var remb))
        {
            _ = remb.Bitrate;
            for (int i = 0; i < remb.SsrcCount; i++)
            {
                _ = remb.GetSsrc(i);
            }
        }
    }
}
