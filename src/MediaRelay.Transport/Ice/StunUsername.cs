namespace MediaRelay.Transport.Ice;

/// <summary>
/// The ICE USERNAME of a connectivity check, "RFRAG:LFRAG" from the sender's side (RFC 8445 §7.2.2),
/// which the receiver reads as "&lt;its own ufrag&gt;:&lt;the sender's ufrag&gt;".
/// </summary>
public static class StunUsername
{
    /// <summary>
    /// Splits at the first ':' so a server can find the peer by its local ufrag before it knows the
    /// peer's address. Both parts must be non-empty.
    /// </summary>
    public static bool TrySplit(ReadOnlySpan<byte> username, out ReadOnlySpan<byte> localUfrag, out ReadOnlySpan<byte> remoteUfrag)
    {
        int colon = username.IndexOf((byte)':');
        if (colon <= 0 || colon == username.Length - 1)
        {
            localUfrag = default;
            remoteUfrag = default;
            return false;
        }
        localUfrag = username.Slice(0, colon);
        remoteUfrag = username.Slice(colon + 1);
        return true;
    }
}
