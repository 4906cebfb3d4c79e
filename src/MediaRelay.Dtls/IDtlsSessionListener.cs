namespace MediaRelay.Dtls;

/// <summary>
/// Upward events of a <see cref="DtlsSession"/>. All calls arrive on the session's own background thread,
/// never on the UDP thread; at most one of Connected/Failed is raised, Closed only after Connected.
/// </summary>
public interface IDtlsSessionListener
{
    void OnDtlsConnected(DtlsSession session, DtlsSrtpKeys keys);

    void OnDtlsFailed(DtlsSession session, string reason);

    void OnDtlsClosed(DtlsSession session);
}
