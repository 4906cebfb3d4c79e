using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using MediaRelay.Dtls;

namespace MediaRelay.Dtls.Tests.OpenSsl;

/// <summary>
/// Interop with an independent implementation: OpenSSL's s_server / s_client over real UDP on 127.0.0.1.
/// The RFC 5705 exporter output OpenSSL prints ("Keying material:") must equal our RFC 5764 §4.2 split.
/// </summary>
public sealed partial class OpenSslInteropTests : IDisposable
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(20);

    private readonly string _directory;
    private readonly string _peerFingerprint;

    public OpenSslInteropTests()
    {
        _directory = Directory.CreateTempSubdirectory("mediarelay-dtls-").FullName;
        int exit = OpenSslProcess.Run(_directory, ProcessTimeout, "req", "-x509", "-newkey", "ec",
            "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
            "-days", "2", "-subj", "/CN=openssl-peer");
        Assert.Equal(0, exit);
        using X509Certificate2 certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_directory, "cert.pem")));
        _peerFingerprint = DtlsFingerprint.ComputeSha256(certificate.RawData);
    }

    public static TheoryData<string, ushort> Profiles => new()
    {
        { "SRTP_AES128_CM_SHA1_80", DtlsSrtpProfile.Aes128CmHmacSha1_80 },
        { "SRTP_AEAD_AES_128_GCM", DtlsSrtpProfile.AeadAes128Gcm },
    };

    [Theory]
    [MemberData(nameof(Profiles))]
    public void OurClient_AgainstOpenSslServer_ExportsSameKeyingMaterial(string opensslProfile, ushort profile)
    {
        int port = FreeUdpPort();
        int length = DtlsSrtpKeys.GetKeyingMaterialLength(profile);
        using OpenSslProcess server = OpenSslProcess.Start(_directory, "s_server", "-dtls1_2",
            "-accept", "127.0.0.1:" + port, "-cert", "cert.pem", "-key", "key.pem", "-use_srtp", opensslProfile,
            "-keymatexport", DtlsSrtpKeys.ExporterLabel, "-keymatexportlen", length.ToString(), "-verify", "1",
            "-naccept", "1");
        Assert.NotNull(server.WaitFor(AcceptPattern(), ProcessTimeout));

        var listener = new RecordingListener();
        using var udp = new UdpDtlsPeer(new IPEndPoint(IPAddress.Loopback, port));
        var session = new DtlsSession(DtlsCertificate.Generate(), DtlsRole.Client, "sha-256", _peerFingerprint,
            udp, listener);
        udp.Session = session;
        udp.Start();
        try
        {
            session.Start();
            Assert.True(listener.WaitOutcome(), "handshake did not finish\n" + server.Output);
            Assert.True(listener.Keys is not null, listener.FailureReason + "\n" + server.Output);
        }
        finally
        {
            session.Dispose(); // close_notify: s_server ends the connection and, with -naccept 1, exits
        }

        Match? material = server.WaitFor(KeyingMaterialPattern(), ProcessTimeout);
        Assert.True(material is not null, "no keying material from s_server\n" + server.Output);
        DtlsSrtpKeys keys = listener.Keys!;
        Assert.Equal(profile, keys.ProfileId);
        string expected = Convert.ToHexString([.. keys.LocalMasterKey, .. keys.RemoteMasterKey,
            .. keys.LocalMasterSalt, .. keys.RemoteMasterSalt]);
        Assert.Equal(expected, material.Groups[1].Value);
        Assert.Contains("SRTP Extension negotiated, profile=" + opensslProfile, server.Output);
        server.WaitForExit(ProcessTimeout);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void OpenSslClient_AgainstOurServer_ExportsSameKeyingMaterial(string opensslProfile, ushort profile)
    {
        var listener = new RecordingListener();
        using var udp = new UdpDtlsPeer();
        var session = new DtlsSession(DtlsCertificate.Generate(), DtlsRole.Server, "sha-256", _peerFingerprint,
            udp, listener);
        udp.Session = session;
        udp.Start();
        using (session)
        {
            session.Start();
            int length = DtlsSrtpKeys.GetKeyingMaterialLength(profile);
            using OpenSslProcess client = OpenSslProcess.Start(_directory, "s_client", "-dtls1_2",
                "-connect", "127.0.0.1:" + udp.LocalPort, "-cert", "cert.pem", "-key", "key.pem",
                "-use_srtp", opensslProfile, "-keymatexport", DtlsSrtpKeys.ExporterLabel,
                "-keymatexportlen", length.ToString());

            Assert.True(listener.WaitOutcome(), "handshake did not finish\n" + client.Output);
            Assert.True(listener.Keys is not null, listener.FailureReason + "\n" + client.Output);

            Match? material = client.WaitFor(KeyingMaterialPattern(), TimeSpan.FromSeconds(5));
            client.CloseInput(); // s_client sends close_notify and exits on stdin EOF
            material ??= client.WaitFor(KeyingMaterialPattern(), ProcessTimeout);
            Assert.True(material is not null, "no keying material from s_client\n" + client.Output);

            DtlsSrtpKeys keys = listener.Keys!;
            Assert.Equal(profile, keys.ProfileId);
            string expected = Convert.ToHexString([.. keys.RemoteMasterKey, .. keys.LocalMasterKey,
                .. keys.RemoteMasterSalt, .. keys.LocalMasterSalt]);
            Assert.Equal(expected, material.Groups[1].Value);
            Assert.Contains("Extended master secret: yes", client.Output);

            Assert.True(listener.WaitClosed(), "no close_notify seen from s_client\n" + client.Output);
            Assert.Equal(DtlsSessionState.Closed, session.State);
            client.WaitForExit(ProcessTimeout);
        }
    }

    [Fact]
    public void OpenSslClient_WithUnexpectedCertificate_IsRejected()
    {
        var listener = new RecordingListener();
        using var udp = new UdpDtlsPeer();
        string someoneElse = DtlsCertificate.Generate().Fingerprint;
        var session = new DtlsSession(DtlsCertificate.Generate(), DtlsRole.Server, "sha-256", someoneElse,
            udp, listener);
        udp.Session = session;
        udp.Start();
        using (session)
        {
            session.Start();
            using OpenSslProcess client = OpenSslProcess.Start(_directory, "s_client", "-dtls1_2",
                "-connect", "127.0.0.1:" + udp.LocalPort, "-cert", "cert.pem", "-key", "key.pem",
                "-use_srtp", "SRTP_AES128_CM_SHA1_80");

            Assert.True(listener.WaitOutcome(), "handshake did not finish\n" + client.Output);
            Assert.Equal("fingerprint mismatch", listener.FailureReason);
            Assert.NotNull(client.WaitFor(BadCertificatePattern(), ProcessTimeout));
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Leave it to the OS temp cleaner.
        }
    }

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    [GeneratedRegex("^ACCEPT", RegexOptions.Multiline)]
    private static partial Regex AcceptPattern();

    [GeneratedRegex("Keying material: ([0-9A-F]+)")]
    private static partial Regex KeyingMaterialPattern();

    [GeneratedRegex("bad certificate", RegexOptions.IgnoreCase)]
    private static partial Regex BadCertificatePattern();
}
