// MediaRelay consultation page: publishes camera (simulcast) + microphone, optionally a shared screen, and
// receives everyone else's tracks. The page always offers (one RTCPeerConnection, BUNDLE, rtcp-mux) and the server
// answers, so there is never glare. Each remote track gets its own recvonly transceiver; the offer says which
// producer each mid is for, and the page tells the server how large it shows each video (simulcast layer choice).
'use strict';
(() => {
  const ui = window.MediaRelayUi;
  const params = new URLSearchParams(location.search);
  const roomId = decodeURIComponent(location.pathname.split('/').pop());
  const simulcast = params.get('simulcast') !== '0';
  const state = {
    pc: null, ws: null, participantId: null, localStream: null, left: false,
    producers: new Map(),      // producerId -> {id, participantId, kind, source}
    receivers: new Map(),      // producerId -> RTCRtpTransceiver
    sources: new Map(),        // RTCRtpTransceiver -> 'microphone' | 'camera' | 'screen'
    share: null,               // { track, transceiver } while sharing
    queue: Promise.resolve(), pendingAnswer: null, errors: [], speakerId: null,
    model: { participants: new Map(), selfId: null, selfName: params.get('name') || 'You', speakerId: null },
  };
  window.mediaRelay = state;
  const $ = (id) => document.getElementById(id);

  const send = (message) => {
    if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(message));
  };
  const fail = (key, vars) => { state.errors.push(key); ui.setStatus(key, true, vars); };

  // Tell the server how many device pixels wide each remote video is shown, so it forwards the layer that fits.
  const layoutObserver = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const producerId = entry.target.dataset.producer;
      const width = Math.round(entry.contentRect.width * (window.devicePixelRatio || 1));
      if (producerId && state.receivers.has(producerId)) send({ type: 'layout', producerId, width });
    }
  });

  function onTrack(event) {
    const producerId = [...state.receivers].find(([, t]) => t === event.transceiver)?.[0];
    const producer = producerId && state.producers.get(producerId);
    if (!producer) return;
    if (event.track.kind === 'audio') {
      ui.playAudio(producer.participantId, event.track);
      return;
    }
    const tile = ui.tileFor(producer.participantId, producer.id, producer.source);
    tile.querySelector('video').srcObject = new MediaStream([event.track]);
    layoutObserver.observe(tile);
  }

  function addRemoteProducer(producer) {
    if (producer.participantId === state.participantId || state.receivers.has(producer.id)) return false;
    state.producers.set(producer.id, producer);
    state.receivers.set(producer.id, state.pc.addTransceiver(producer.kind, { direction: 'recvonly' }));
    return true;
  }

  function removeRemoteProducer(producerId) {
    const transceiver = state.receivers.get(producerId);
    if (!transceiver) return false;
    state.receivers.delete(producerId);
    state.producers.delete(producerId);
    transceiver.stop();
    ui.removeTile(producerId);
    return true;
  }

  function renegotiate() {
    state.queue = state.queue.then(negotiate).catch((e) => fail('failed', { error: e.message }));
    return state.queue;
  }

  async function negotiate() {
    const pc = state.pc;
    if (!pc || state.left) return;
    await pc.setLocalDescription(await pc.createOffer());
    const subscriptions = {}, sources = {};
    for (const [producerId, t] of state.receivers) if (t.mid) subscriptions[t.mid] = producerId;
    for (const [t, source] of state.sources) if (t.mid && t.currentDirection !== 'stopped') sources[t.mid] = source;
    const sdp = await new Promise((resolve, reject) => {
      state.pendingAnswer = { resolve, reject };
      send({ type: 'offer', sdp: pc.localDescription.sdp, subscriptions, sources });
    });
    state.pendingAnswer = null;
    await pc.setRemoteDescription({ type: 'answer', sdp });
  }

  function publishCamera(pc, track) {
    const encodings = simulcast
      ? [{ rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
        { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
        { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_500_000 }]
      : undefined;
    return pc.addTransceiver(track, { direction: 'sendonly', streams: [state.localStream], sendEncodings: encodings });
  }

  /** Shares a screen (or any video track, e.g. a medical-image canvas) as the content track. */
  async function shareTrack(track) {
    if (state.share) await stopSharing();
    track.contentHint = 'detail'; // favour sharpness over frame rate
    const transceiver = state.pc.addTransceiver(track, { direction: 'sendonly' });
    state.sources.set(transceiver, 'screen');
    state.share = { track, transceiver };
    track.addEventListener('ended', () => stopSharing());
    $('share').textContent = ui.t('stopShare');
    $('share').dataset.i18n = 'stopShare';
    await renegotiate();
  }

  async function stopSharing() {
    const share = state.share;
    if (!share) return;
    state.share = null;
    state.sources.delete(share.transceiver);
    share.transceiver.stop();
    share.track.stop();
    $('share').textContent = ui.t('share');
    $('share').dataset.i18n = 'share';
    await renegotiate();
  }

  async function toggleShare() {
    if (state.share) return stopSharing();
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 5 }, audio: false });
      await shareTrack(stream.getVideoTracks()[0]);
    } catch (e) {
      fail('shareFailed', { error: e.message });
    }
  }

  function onJoined(message) {
    state.participantId = message.participantId;
    state.model.selfId = message.participantId;
    for (const p of message.participants) state.model.participants.set(p.id, p);
    ui.renderParticipants();
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    state.pc = pc;
    pc.ontrack = onTrack;
    pc.onconnectionstatechange = () => {
      const s = pc.connectionState;
      if (s === 'connected') ui.setStatus('connected');
      else if (s === 'disconnected') ui.setStatus('reconnecting', true);
      else if (s === 'failed') fail('failed');
    };
    for (const track of state.localStream.getTracks()) {
      const t = track.kind === 'video'
        ? publishCamera(pc, track)
        : pc.addTransceiver(track, { direction: 'sendonly', streams: [state.localStream] });
      state.sources.set(t, track.kind === 'audio' ? 'microphone' : 'camera');
    }
    for (const producer of message.producers) addRemoteProducer(producer);
    if (message.dominantSpeaker) ui.setSpeaker(message.dominantSpeaker);
    $('recording').hidden = !message.recording;
    renegotiate();
  }

  function onMessage(message) {
    switch (message.type) {
      case 'joined': onJoined(message); break;
      case 'answer': state.pendingAnswer?.resolve(message.sdp); break;
      case 'participantJoined':
        state.model.participants.set(message.participant.id, message.participant);
        ui.renderParticipants();
        break;
      case 'participantLeft':
        state.model.participants.delete(message.participantId);
        ui.removeParticipant(message.participantId);
        break;
      case 'producerAdded': if (addRemoteProducer(message.producer)) renegotiate(); break;
      case 'producerRemoved': if (removeRemoteProducer(message.producerId)) renegotiate(); break;
      case 'recording': $('recording').hidden = !message.active; break;
      case 'consentRecorded':
        $('consent').disabled = true;
        $('consent').dataset.i18n = 'consentGiven';
        $('consent').textContent = ui.t('consentGiven');
        break;
      case 'dominantSpeaker':
        state.speakerId = message.participantId;
        ui.setSpeaker(message.participantId);
        break;
      case 'error':
        fail(message.code in window.MediaRelayStrings.en ? message.code : 'failed', { error: message.message });
        state.pendingAnswer?.reject(new Error(message.code));
        break;
      default: break;
    }
  }

  function leave() {
    state.left = true;
    send({ type: 'leave' });
    state.pc?.close();
    state.ws?.close();
    state.localStream?.getTracks().forEach((t) => t.stop());
    state.share?.track.stop();
    ui.setStatus('left');
  }

  function toggle(kind, button, onKey, offKey) {
    const track = state.localStream?.getTracks().find((t) => t.kind === kind);
    if (!track) return;
    track.enabled = !track.enabled;
    button.dataset.i18n = track.enabled ? onKey : offKey;
    button.textContent = ui.t(button.dataset.i18n);
    button.classList.toggle('off', !track.enabled);
  }

  async function copyLink() {
    const link = `${location.origin}/room/${encodeURIComponent(roomId)}`;
    try {
      await navigator.clipboard.writeText(link);
    } catch {
      window.prompt(ui.t('copyLink'), link);
      return;
    }
    $('copy').textContent = ui.t('copied');
    setTimeout(() => { $('copy').textContent = ui.t('copyLink'); }, 2000);
  }

  async function start() {
    ui.init(state.model);
    $('title').textContent = roomId;
    $('mic').onclick = (e) => toggle('audio', e.target, 'mute', 'unmute');
    $('camera').onclick = (e) => toggle('video', e.target, 'cameraOff', 'cameraOn');
    $('share').onclick = toggleShare;
    $('copy').onclick = copyLink;
    $('consent').onclick = () => send({ type: 'consent' });
    $('leave').onclick = leave;
    state.shareTrack = shareTrack;
    state.stopSharing = stopSharing;
    try {
      // 960x540 lets the browser send three simulcast layers (240, 480, 960 wide); it sends two below that.
      state.localStream = await navigator.mediaDevices.getUserMedia(
        { audio: true, video: { width: { ideal: 960 }, height: { ideal: 540 } } });
    } catch (e) {
      fail('noDevices', { error: e.message });
      return;
    }
    ui.tileFor('local', 'local', 'camera').querySelector('video').srcObject = state.localStream;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    state.ws = new WebSocket(`${scheme}//${location.host}/ws`);
    state.ws.onopen = () => send({ type: 'join', room: roomId, token: params.get('token') });
    state.ws.onmessage = (e) => onMessage(JSON.parse(e.data));
    state.ws.onclose = () => { if (!state.left) fail('disconnected'); };
  }

  start();
})();
