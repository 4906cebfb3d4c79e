// MediaRelay consultation page: publishes camera + microphone, receives everyone else's tracks.
// Signaling: the page always offers (one RTCPeerConnection, BUNDLE, rtcp-mux) and the server answers, so there is
// never glare. Each remote track gets its own recvonly transceiver; the offer says which producer each mid is for.
'use strict';
(() => {
  const params = new URLSearchParams(location.search);
  const roomId = decodeURIComponent(location.pathname.split('/').pop());
  const state = {
    pc: null, ws: null, participantId: null, localStream: null, left: false,
    participants: new Map(),   // id -> {id, name}
    producers: new Map(),      // producerId -> {id, participantId, kind, source}
    receivers: new Map(),      // producerId -> RTCRtpTransceiver
    sources: new Map(),        // RTCRtpTransceiver -> 'microphone' | 'camera' | 'screen'
    queue: Promise.resolve(), pendingAnswer: null, errors: [],
  };
  window.mediaRelay = state;

  const $ = (id) => document.getElementById(id);
  const setStatus = (text, isError) => {
    $('status').textContent = text;
    $('status').classList.toggle('error', !!isError);
    if (isError) state.errors.push(text);
  };
  const send = (message) => {
    if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(message));
  };

  function tileFor(participantId, name) {
    let tile = document.querySelector(`.tile[data-participant="${participantId}"]`);
    if (!tile) {
      tile = document.createElement('div');
      tile.className = 'tile';
      tile.dataset.participant = participantId;
      const video = document.createElement('video');
      video.autoplay = true; video.playsInline = true; video.muted = true;
      const label = document.createElement('span');
      label.className = 'name';
      tile.append(video, label);
      $('tiles').append(tile);
    }
    if (name) tile.querySelector('.name').textContent = name;
    return tile;
  }

  function onTrack(event) {
    const producerId = [...state.receivers].find(([, t]) => t === event.transceiver)?.[0];
    const producer = producerId && state.producers.get(producerId);
    if (!producer) return;
    const who = state.participants.get(producer.participantId);
    const tile = tileFor(producer.participantId, who ? who.name : '');
    const stream = new MediaStream([event.track]);
    if (event.track.kind === 'video') {
      tile.querySelector('video').srcObject = stream;
    } else {
      let audio = tile.querySelector('audio');
      if (!audio) { audio = document.createElement('audio'); audio.autoplay = true; tile.append(audio); }
      audio.srcObject = stream;
    }
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
    return true;
  }

  function removeParticipant(participantId) {
    state.participants.delete(participantId);
    document.querySelector(`.tile[data-participant="${participantId}"]`)?.remove();
  }

  function renegotiate() {
    state.queue = state.queue.then(negotiate).catch((e) => setStatus(`Negotiation failed: ${e.message}`, true));
  }

  async function negotiate() {
    const pc = state.pc;
    if (!pc || state.left) return;
    await pc.setLocalDescription(await pc.createOffer());
    const subscriptions = {}, sources = {};
    for (const [producerId, t] of state.receivers) if (t.mid) subscriptions[t.mid] = producerId;
    for (const [t, source] of state.sources) if (t.mid) sources[t.mid] = source;
    const sdp = await new Promise((resolve, reject) => {
      state.pendingAnswer = { resolve, reject };
      send({ type: 'offer', sdp: pc.localDescription.sdp, subscriptions, sources });
    });
    state.pendingAnswer = null;
    await pc.setRemoteDescription({ type: 'answer', sdp });
  }

  function onJoined(message) {
    state.participantId = message.participantId;
    for (const p of message.participants) state.participants.set(p.id, p);
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    state.pc = pc;
    pc.ontrack = onTrack;
    pc.onconnectionstatechange = () => {
      const s = pc.connectionState;
      setStatus(s === 'connected' ? 'Connected' : s, s === 'failed');
    };
    for (const track of state.localStream.getTracks()) {
      const t = pc.addTransceiver(track, { direction: 'sendonly', streams: [state.localStream] });
      state.sources.set(t, track.kind === 'audio' ? 'microphone' : 'camera');
    }
    for (const producer of message.producers) addRemoteProducer(producer);
    renegotiate();
  }

  function onMessage(message) {
    switch (message.type) {
      case 'joined': onJoined(message); break;
      case 'answer': state.pendingAnswer?.resolve(message.sdp); break;
      case 'participantJoined': state.participants.set(message.participant.id, message.participant); break;
      case 'participantLeft': removeParticipant(message.participantId); break;
      case 'producerAdded': if (addRemoteProducer(message.producer)) renegotiate(); break;
      case 'producerRemoved': if (removeRemoteProducer(message.producerId)) renegotiate(); break;
      case 'error':
        setStatus(message.message, true);
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
    setStatus('You left the consultation.');
  }

  function toggle(kind, button, onText, offText) {
    const track = state.localStream?.getTracks().find((t) => t.kind === kind);
    if (!track) return;
    track.enabled = !track.enabled;
    button.textContent = track.enabled ? onText : offText;
  }

  async function start() {
    $('title').textContent = roomId;
    $('mic').onclick = (e) => toggle('audio', e.target, 'Mute', 'Unmute');
    $('camera').onclick = (e) => toggle('video', e.target, 'Camera off', 'Camera on');
    $('leave').onclick = leave;
    try {
      state.localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
    } catch (e) {
      setStatus(`Camera or microphone unavailable: ${e.message}`, true);
      return;
    }
    const local = tileFor('local', `${params.get('name') || 'You'} (you)`);
    local.querySelector('video').srcObject = state.localStream;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    state.ws = new WebSocket(`${scheme}//${location.host}/ws`);
    state.ws.onopen = () => send({ type: 'join', room: roomId, token: params.get('token') });
    state.ws.onmessage = (e) => onMessage(JSON.parse(e.data));
    state.ws.onclose = () => { if (!state.left) setStatus('Disconnected from the server.', true); };
  }

  start();
})();
