namespace MediaRelay.Sfu.Pacing;

/// <summary>
/// How a packet is treated by the <see cref="PacedSender"/>. Audio is never delayed; the others are queued when the
/// budget is spent and leave in this order (lower value first), first in first out within a priority.
/// </summary>
public enum PacketPriority
{
    /// <summary>Sent at once, never queued, never dropped (it still consumes pacing budget).</summary>
    Audio = 0,

    /// <summary>RFC 4588 retransmissions: overtake queued video.</summary>
    Retransmission = 1,

    /// <summary>Video media.</summary>
    Video = 2,

    /// <summary>Bandwidth probing padding: first to be dropped, discarded when it has waited too long.</summary>
    Padding = 3,
}
