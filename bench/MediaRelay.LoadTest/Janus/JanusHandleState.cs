namespace MediaRelay.LoadTest.Janus;

/// <summary>
/// What a <see cref="JanusSession"/> remembers per plugin handle from the long-poll: whether "webrtcup" has
/// arrived (it may come before anyone waits for it) or the PeerConnection was hung up first.
/// </summary>
internal sealed class JanusHandleState
{
    private readonly TaskCompletionSource _webRtcUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task WebRtcUp => _webRtcUp.Task;

    public void OnWebRtcUp() => _webRtcUp.TrySetResult();

    /// <summary>"hangup" or "detached" before "webrtcup": whoever waits for webrtcup gets the reason.</summary>
    public void OnGone(Exception reason) => _webRtcUp.TrySetException(reason);
}
