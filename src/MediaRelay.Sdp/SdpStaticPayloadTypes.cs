namespace MediaRelay.Sdp;

/// <summary>
/// RFC 3551 §6 tables 4 and 5: payload types that need no a=rtpmap (SIP offers often list "0 8 9" bare).
/// </summary>
internal static class SdpStaticPayloadTypes
{
    public static SdpRtpMap? Lookup(int payloadType) => payloadType switch
    {
        0 => new SdpRtpMap(0, "PCMU", 8000),
        3 => new SdpRtpMap(3, "GSM", 8000),
        4 => new SdpRtpMap(4, "G723", 8000),
        5 => new SdpRtpMap(5, "DVI4", 8000),
        6 => new SdpRtpMap(6, "DVI4", 16000),
        7 => new SdpRtpMap(7, "LPC", 8000),
        8 => new SdpRtpMap(8, "PCMA", 8000),
        9 => new SdpRtpMap(9, "G722", 8000),
        10 => new SdpRtpMap(10, "L16", 44100, 2),
        11 => new SdpRtpMap(11, "L16", 44100),
        12 => new SdpRtpMap(12, "QCELP", 8000),
        13 => new SdpRtpMap(13, "CN", 8000),
        14 => new SdpRtpMap(14, "MPA", 90000),
        15 => new SdpRtpMap(15, "G728", 8000),
        16 => new SdpRtpMap(16, "DVI4", 11025),
        17 => new SdpRtpMap(17, "DVI4", 22050),
        18 => new SdpRtpMap(18, "G729", 8000),
        25 => new SdpRtpMap(25, "CelB", 90000),
        26 => new SdpRtpMap(26, "JPEG", 90000),
        28 => new SdpRtpMap(28, "nv", 90000),
        31 => new SdpRtpMap(31, "H261", 90000),
        32 => new SdpRtpMap(32, "MPV", 90000),
        33 => new SdpRtpMap(33, "MP2T", 90000),
        34 => new SdpRtpMap(34, "H263", 90000),
        _ => null,
    };
}
