using System.Diagnostics;
using System.Net;
using System.Text;
using MediaRelay.Core;
using MediaRelay.Transport.Stun;
using MediaRelay.Transport.Udp;

namespace MediaRelay.Transport.Ice;

/// <summary>
/// The ICE-lite side of one peer (RFC 8445 §2.5): never sends checks, answers the browser's Binding
/// requests (§7.3), takes the pair the controlling peer nominates with USE-CANDIDATE, and tracks
/// consent freshness on it (RFC 7675 §5.1: consent lapses 30 s after the last valid check).
/// A lite agent is always controlled. Not thread-safe: call it from the socket loop that owns the peer.
/// </summary>
public sealed class IceLiteAgent
{
    /// <summary>Smallest response buffer <see cref="HandleBindingRequest"/> accepts.</summary>
    public const int MinimumResponseBufferSize = 128;

    /// <summary>Default consent timeout (RFC 7675 §5.1).</summary>
    public static readonly TimeSpan DefaultConsentTimeout = TimeSpan.FromSeconds(30);

    private readonly IceCredentials _local;
    private readonly SocketAddress _selected = new(System.Net.Sockets.AddressFamily.InterNetworkV6);
    private readonly long _consentTimeoutTicks;
    private byte[]? _remoteUfrag;
    private bool _hasSelected;
    private long _lastConsent;

    public IceLiteAgent(IceCredentials local, TimeSpan? consentTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        _local = local;
        ConsentTimeout = consentTimeout ?? DefaultConsentTimeout;
        if (ConsentTimeout <= TimeSpan.Zero)
        {
            ThrowHelper.ThrowArgument("Consent timeout must be positive.", nameof(consentTimeout));
        }
        _consentTimeoutTicks = (long)(ConsentTimeout.TotalSeconds * Stopwatch.Frequency);
    }

    public IceCredentials LocalCredentials => _local;

    public TimeSpan ConsentTimeout { get; }

    /// <summary>The peer's ufrag once signaling delivered it (null before).</summary>
    public string? RemoteUfrag { get; private set; }

    /// <summary>The peer's password (kept for completeness; a lite agent never sends checks).</summary>
    public string? RemotePassword { get; private set; }

    /// <summary>
    /// The nominated remote address, or null before the first USE-CANDIDATE. The agent owns this
    /// instance and overwrites it in place when a later nomination switches address.
    /// </summary>
    public SocketAddress? SelectedRemote => _hasSelected ? _selected : null;

    /// <summary>
    /// Whether <paramref name="address"/> is the selected remote (byte comparison of the used part;
    /// <see cref="SocketAddress.Equals(object)"/> also compares unused backing bytes). Allocation-free.
    /// </summary>
    public bool IsSelectedRemote(SocketAddress address) => _hasSelected && SameAddress(_selected, address);

    /// <summary>Stopwatch timestamp of the last valid check from <see cref="SelectedRemote"/>.</summary>
    public long LastConsentTimestamp => _lastConsent;

    /// <summary>How many times the selected address was set or switched.</summary>
    public int SelectionCount { get; private set; }

    /// <summary>Remote credentials from the SDP (a=ice-ufrag / a=ice-pwd). Cold path.</summary>
    public void SetRemoteCredentials(string ufrag, string password)
    {
        ArgumentNullException.ThrowIfNull(ufrag);
        ArgumentNullException.ThrowIfNull(password);
        RemoteUfrag = ufrag;
        RemotePassword = password;
        _remoteUfrag = Encoding.UTF8.GetBytes(ufrag);
    }

    /// <summary>
    /// Consent on the selected pair has lapsed (RFC 7675 §5.1). False before any nomination: the
    /// caller applies its own connect timeout to peers that never complete ICE.
    /// </summary>
    public bool IsConsentExpired(long nowTimestamp)
        => _hasSelected && nowTimestamp - _lastConsent > _consentTimeoutTicks;

    /// <summary>
    /// Answers one Binding request (RFC 8445 §7.3; authentication per RFC 8489 §9.1.3 with the local
    /// password as short-term key). Writes the response into <paramref name="response"/> (length 0
    /// when nothing must be sent). Allocation-free. <paramref name="from"/> is only read; when it is
    /// nominated its bytes are copied, so the caller may reuse the instance.
    /// </summary>
    public IceCheckOutcome HandleBindingRequest(in StunMessage request, SocketAddress from, Span<byte> response,
        out int responseLength, long nowTimestamp)
    {
        responseLength = 0;
        if (response.Length < MinimumResponseBufferSize)
        {
            ThrowHelper.ThrowArgument("Response buffer too small.", nameof(response));
        }
        if (request.MessageType != StunMessageType.BindingRequest)
        {
            return IceCheckOutcome.Ignored;
        }
        if (!request.HasFingerprint || !request.VerifyFingerprint())
        {
            return IceCheckOutcome.Discarded;
        }

        ReadOnlySpan<byte> username = request.Username;
        if (username.IsEmpty || !request.HasMessageIntegrity)
        {
            responseLength = WriteError(request, response, 400, "Bad Request"u8, authenticated: false);
            return IceCheckOutcome.BadRequest;
        }
        if (!StunUsername.TrySplit(username, out var localPart, out var remotePart)
            || !localPart.SequenceEqual(_local.LocalUfragBytes)
            || (_remoteUfrag is not null && !remotePart.SequenceEqual(_remoteUfrag)))
        {
            responseLength = WriteError(request, response, 401, "Unauthorized"u8, authenticated: false);
            return IceCheckOutcome.UnknownUsername;
        }
        if (!request.VerifyMessageIntegrity(_local.LocalPasswordBytes))
        {
            responseLength = WriteError(request, response, 401, "Unauthorized"u8, authenticated: false);
            return IceCheckOutcome.Unauthorized;
        }
        if (request.TryGetIceControlled(out _))
        {
            // Both sides controlled: a lite agent cannot take the controlling role (RFC 8445 §6.1.1).
            responseLength = WriteError(request, response, 487, "Role Conflict"u8, authenticated: true);
            return IceCheckOutcome.RoleConflict;
        }

        var writer = new StunMessageWriter(response);
        writer.Begin(StunMessageType.BindingSuccessResponse, request.TransactionId);
        writer.AddXorMappedAddress(from);
        writer.AddMessageIntegrity(_local.LocalPasswordBytes);
        writer.AddFingerprint();
        responseLength = writer.Length;

        IceCheckOutcome outcome = IceCheckOutcome.Accepted;
        if (request.HasUseCandidate && (!_hasSelected || !SameAddress(_selected, from)))
        {
            _selected.Size = from.Size;
            from.Buffer.Span.Slice(0, from.Size).CopyTo(_selected.Buffer.Span);
            _hasSelected = true;
            SelectionCount++;
            outcome = IceCheckOutcome.Nominated;
        }
        if (_hasSelected && SameAddress(_selected, from))
        {
            _lastConsent = nowTimestamp;
        }
        return outcome;
    }

    private int WriteError(in StunMessage request, Span<byte> response, int code, ReadOnlySpan<byte> reason, bool authenticated)
    {
        var writer = new StunMessageWriter(response);
        writer.Begin(StunMessageType.BindingErrorResponse, request.TransactionId);
        writer.AddErrorCode(code, reason);
        if (authenticated)
        {
            writer.AddMessageIntegrity(_local.LocalPasswordBytes);
        }
        writer.AddFingerprint();
        return writer.Length;
    }

    // SocketAddress.Buffer spans the whole backing array, not just Size bytes: compare the used part.
    private static bool SameAddress(SocketAddress a, SocketAddress b) => SocketAddressComparer.Instance.Equals(a, b);
}
