namespace MediaRelay.Sfu.Tests;

/// <summary>A decoded copy of a packet a consumer sent, for assertions.</summary>
internal sealed record SentPacket(int Version, bool HasPadding, bool HasExtension, int CsrcCount, bool Marker,
    byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc, int HeaderLength, byte[] Payload);
