using MediaRelay.Dtls;

namespace MediaRelay.Dtls.Tests;

/// <summary>A client and a server session wired back to back in memory.</summary>
internal sealed class SessionPair : IDisposable
{
    private static readonly Lazy<DtlsCertificate> SharedClientCertificate = new(() => DtlsCertificate.Generate());
    private static readonly Lazy<DtlsCertificate> SharedServerCertificate = new(() => DtlsCertificate.Generate());

    public SessionPair(DtlsSessionOptions? clientOptions = null, DtlsSessionOptions? serverOptions = null,
        string? clientSeesServerFingerprint = null, string? serverSeesClientFingerprint = null)
    {
        ClientCertificate = SharedClientCertificate.Value;
        ServerCertificate = SharedServerCertificate.Value;
        Client = new DtlsSession(ClientCertificate, DtlsRole.Client, "sha-256",
            clientSeesServerFingerprint ?? ServerCertificate.Fingerprint, ClientWire, ClientListener, clientOptions);
        Server = new DtlsSession(ServerCertificate, DtlsRole.Server, "sha-256",
            serverSeesClientFingerprint ?? ClientCertificate.Fingerprint, ServerWire, ServerListener, serverOptions);
        ClientWire.Target = Server;
        ServerWire.Target = Client;
    }

    public DtlsCertificate ClientCertificate { get; }

    public DtlsCertificate ServerCertificate { get; }

    public LoopbackSender ClientWire { get; } = new();

    public LoopbackSender ServerWire { get; } = new();

    public RecordingListener ClientListener { get; } = new();

    public RecordingListener ServerListener { get; } = new();

    public DtlsSession Client { get; }

    public DtlsSession Server { get; }

    public void Start()
    {
        Server.Start();
        Client.Start();
    }

    public void WaitBoth()
    {
        Assert.True(ClientListener.WaitOutcome(), "client handshake did not finish");
        Assert.True(ServerListener.WaitOutcome(), "server handshake did not finish");
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
