namespace MediaRelay.Transport.Ice;

/// <summary>Result of <see cref="IceLiteAgent.HandleBindingRequest"/> (RFC 8445 §7.3, RFC 8489 §9.1.3).</summary>
public enum IceCheckOutcome
{
    /// <summary>Valid check; a success response was written.</summary>
    Accepted,

    /// <summary>
    /// Valid check with USE-CANDIDATE that selected a new remote address (first nomination or a
    /// network change); a success response was written. A repeated nomination of the already selected
    /// address returns <see cref="Accepted"/>.
    /// </summary>
    Nominated,

    /// <summary>USERNAME or MESSAGE-INTEGRITY missing: a 400 error response was written.</summary>
    BadRequest,

    /// <summary>MESSAGE-INTEGRITY did not verify with the local password: a 401 error response was written.</summary>
    Unauthorized,

    /// <summary>USERNAME does not name this agent (or the known remote ufrag): a 401 error response was written.</summary>
    UnknownUsername,

    /// <summary>The peer also claims the controlled role: a 487 error response was written (RFC 8445 §7.3.1.1).</summary>
    RoleConflict,

    /// <summary>Not a Binding request (e.g. an indication or a response): nothing written.</summary>
    Ignored,

    /// <summary>FINGERPRINT missing or wrong: silently discarded, nothing written (RFC 8489 §7.3).</summary>
    Discarded,
}
