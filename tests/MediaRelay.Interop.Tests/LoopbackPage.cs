namespace MediaRelay.Interop.Tests;

/// <summary>
/// A server-free test page: the fake camera and microphone go from one RTCPeerConnection to another in the same
/// page over loopback host candidates, rendered into a video element so the receiver keeps decoding.
/// </summary>
internal static class LoopbackPage
{
    public const string Url = "http://localhost/mediarelay-loopback.html";

    public const string Html = """
        <!doctype html>
        <html>
        <head><meta charset="utf-8"><title>loopback</title></head>
        <body>
        <video id="remote" autoplay playsinline muted></video>
        <script>
        window.startLoopbackCall = async () => {
          const media = await navigator.mediaDevices.getUserMedia({
            audio: true, video: { width: 640, height: 480, frameRate: 30 } });
          const sender = new RTCPeerConnection();
          const receiver = new RTCPeerConnection();
          sender.onicecandidate = e => { if (e.candidate) receiver.addIceCandidate(e.candidate); };
          receiver.onicecandidate = e => { if (e.candidate) sender.addIceCandidate(e.candidate); };
          const remote = new MediaStream();
          receiver.ontrack = e => {
            remote.addTrack(e.track);
            document.getElementById('remote').srcObject = remote;
          };
          for (const track of media.getTracks()) sender.addTrack(track, media);
          await sender.setLocalDescription(await sender.createOffer());
          await receiver.setRemoteDescription(sender.localDescription);
          await receiver.setLocalDescription(await receiver.createAnswer());
          await sender.setRemoteDescription(receiver.localDescription);
        };
        </script>
        </body>
        </html>
        """;
}
