namespace MediaRelay.LoadTest.Janus;

/// <summary>
/// An error reported by Janus: a core <c>"janus":"error"</c> reply (e.g. 490 "Error setting ICE locally") or a
/// plugin <c>error_code</c> (e.g. VideoRoom 428 "No such feed"), or a failure of the session itself.
/// </summary>
public sealed class JanusException : Exception
{
    public JanusException(int code, string reason, string request)
        : base($"Janus error {code} on '{request}': {reason}")
    {
        Code = code;
        Reason = reason;
    }

    public JanusException(string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = message;
    }

    /// <summary>Janus or plugin error code; 0 when the failure did not come with a code.</summary>
    public int Code { get; }

    public string Reason { get; }
}
