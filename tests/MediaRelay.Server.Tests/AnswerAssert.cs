using MediaRelay.Sdp;
using MediaRelay.Server.Rooms;

namespace MediaRelay.Server.Tests;

/// <summary>Checks on one m-section of an answer produced by the OfferAnswerer.</summary>
internal static class AnswerAssert
{
    /// <summary>Parses an answer exactly as written (it must be valid SDP for our own parser too).</summary>
    public static SessionDescription Parse(string? sdp)
    {
        Assert.NotNull(sdp);
        return SessionDescription.Parse(sdp);
    }

    /// <summary>ICE-lite credentials, our certificate, passive DTLS, rtcp-mux and exactly our one host candidate.</summary>
    public static void AcceptedTransport(RunningHost host, Participant participant, MediaDescription m)
    {
        var announced = host.Media.AnnouncedEndPoint;
        Assert.NotEqual(0, announced.Port);
        Assert.Equal(announced.Port, m.Port);
        Assert.Equal(announced.Address.ToString(), m.Connection?.Address);
        Assert.Equal(participant.Peer.LocalIce.LocalUfrag, m.IceUfrag);
        Assert.Equal(participant.Peer.LocalIce.LocalPassword, m.IcePwd);
        Assert.Equal(new SdpFingerprint(participant.Peer.Certificate.FingerprintAlgorithm, participant.Peer.Certificate.Fingerprint), m.Fingerprint);
        Assert.Equal("sha-256", m.Fingerprint!.Algorithm);
        Assert.Equal(SdpSetup.Passive, m.Setup);
        Assert.True(m.RtcpMux);
        SdpCandidate candidate = Assert.Single(m.GetCandidates());
        Assert.Equal(("host", "udp", 1, "127.0.0.1", announced.Port),
            (candidate.Type, candidate.Transport.ToLowerInvariant(), candidate.Component, candidate.Address, candidate.Port));
        Assert.True(m.EndOfCandidates);
    }

    /// <summary>JSEP §5.3.1 rejection: port 0, no transport, not in BUNDLE.</summary>
    public static void Rejected(MediaDescription m)
    {
        Assert.Equal(0, m.Port);
        Assert.NotEmpty(m.Formats);
        Assert.Empty(m.GetCandidates());
        Assert.Null(m.IceUfrag);
    }

    /// <summary>A sendonly subscription section; returns the SSRC the consumer will send with.</summary>
    public static uint Subscribed(RunningHost host, Participant subscriber, MediaDescription m, string publisherId,
        string producerId, int payloadType)
    {
        AcceptedTransport(host, subscriber, m);
        Assert.Equal(SdpDirection.SendOnly, m.Direction);
        // One codec; for audio possibly preceded by RFC 2198 redundancy wrapping exactly that codec; for video
        // followed by its RFC 4588 rtx partner.
        IReadOnlyList<SdpRtpMap> maps = m.GetRtpMaps();
        Assert.Equal(payloadType, Assert.Single(maps, r => r.EncodingName is not "red" and not "rtx").PayloadType);
        foreach (SdpRtpMap red in maps.Where(r => r.EncodingName == "red"))
        {
            Assert.Equal("audio", m.Kind);
            Assert.Equal($"{payloadType}/{payloadType}", red.Fmtp);
            Assert.Equal("red", maps[0].EncodingName);
        }
        SdpRtpMap? rtx = maps.SingleOrDefault(r => r.EncodingName == "rtx");
        Assert.True(rtx is null || m.Kind == "video" && rtx.AssociatedPayloadType == payloadType);
        Assert.Equal(new SdpMsid(publisherId, producerId), m.Msid);
        IReadOnlyList<SdpSsrc> ssrcs = m.GetSsrcs();
        Assert.Equal(rtx is null ? 2 : 4, ssrcs.Count);
        uint ssrc = ssrcs[0].Ssrc;
        Assert.NotEqual(0u, ssrc);
        var streams = new List<uint> { ssrc };
        if (rtx is not null)
        {
            // RFC 5576 §4.2 / RFC 4588 §8.6: the FID group pairs the media SSRC with its retransmission SSRC.
            SdpSsrcGroup fid = Assert.Single(m.GetSsrcGroups());
            Assert.Equal(SdpSsrcGroup.Fid, fid.Semantics);
            Assert.Equal(ssrc, fid.Ssrcs[0]);
            Assert.NotEqual(ssrc, fid.Ssrcs[1]);
            streams.Add(fid.Ssrcs[1]);
        }
        foreach (uint s in streams)
        {
            Assert.Contains(new SdpSsrc(s, "cname", publisherId), ssrcs);
            Assert.Contains(new SdpSsrc(s, "msid", publisherId + " " + producerId), ssrcs);
        }
        return ssrc;
    }
}
