namespace MediaRelay.Dtls;

/// <summary>Lifecycle of a <see cref="DtlsSession"/>: New → Connecting → Connected → Closed, or → Failed.</summary>
public enum DtlsSessionState
{
    New,
    Connecting,
    Connected,
    Failed,
    Closed,
}
