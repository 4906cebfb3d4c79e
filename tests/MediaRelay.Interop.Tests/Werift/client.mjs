// A werift (pure TypeScript WebRTC, https://github.com/shinyoshiaki/werift-webrtc) participant for a MediaRelay room,
// driven by tests/MediaRelay.Interop.Tests/Werift/WeriftInteropTests.cs. It speaks the same signaling as the page
// (wwwroot/room.js): join over the WebSocket, always offer, subscribe to every other participant's producer with a
// recvonly transceiver mapped mid -> producer id, and publish sendonly tracks fed with real VP8 (and Opus) RTP from
// an ffmpeg child process.
//
// Usage: node --experimental-websocket client.mjs --url http://127.0.0.1:PORT --room ROOM --token TOKEN
//        [--publish video,audio] [--timeout-seconds 60] [--ffmpeg /usr/bin/ffmpeg]
//
// stdout: one JSON object per line. {"type":"status",...} every 250 ms and on every state change; {"type":"event",...}
// for signaling milestones; {"type":"exit",...} last. stderr: diagnostics, including ffmpeg's own stderr.
// Exits on its own when stdin closes (the test's signal to stop; run it with stdin redirected), when the signaling
// socket closes, or after the hard timeout.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { MediaStreamTrack, RTCPeerConnection } from 'werift';

const args = parseArgs(process.argv.slice(2));
const serverUrl = required('url');
const roomId = required('room');
const token = required('token');
const publish = new Set((args.publish ?? 'video,audio').split(',').filter(Boolean));
const timeoutSeconds = Number(args['timeout-seconds'] ?? 60);
const ffmpegPath = args.ffmpeg ?? 'ffmpeg';
const started = Date.now();

const state = {
  participantId: null,
  connectionState: 'new',
  iceConnectionState: 'new',
  reachedConnected: false,
  received: { audio: 0, video: 0 },      // RTP packets from subscribed producers, per kind
  receivedByProducer: {},                // producerId -> packets
  sent: { audio: 0, video: 0 },          // RTP packets handed to werift's senders after DTLS connected
  fed: { audio: 0, video: 0 },           // RTP packets ffmpeg delivered (before and after connection)
  subscriptions: {},                     // mid -> producerId (answered)
  producers: new Map(),                  // producerId -> producer
  receivers: new Map(),                  // producerId -> transceiver
  negotiations: 0,
  errors: [],
};
let pc = null;
let ws = null;
let queue = Promise.resolve();
let pendingAnswer = null;
let exiting = false;
const children = [];
const sockets = [];

function parseArgs(argv) {
  const parsed = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) parsed[argv[i].slice(2)] = argv[i + 1] ?? '';
    if (argv[i].startsWith('--')) i++;
  }
  return parsed;
}

function required(name) {
  if (!args[name]) {
    console.error(`missing --${name}`);
    process.exit(64);
  }
  return args[name];
}

function emit(line) {
  process.stdout.write(JSON.stringify({ ...line, elapsedMs: Date.now() - started }) + '\n');
}

function status() {
  emit({
    type: 'status',
    participantId: state.participantId,
    connectionState: state.connectionState,
    iceConnectionState: state.iceConnectionState,
    reachedConnected: state.reachedConnected,
    received: state.received,
    receivedByProducer: state.receivedByProducer,
    sent: state.sent,
    fed: state.fed,
    subscriptions: state.subscriptions,
    negotiations: state.negotiations,
    errors: state.errors,
  });
}

function fail(text) {
  state.errors.push(text);
  console.error(`werift client: ${text}`);
  if (!exiting) status();
}

function send(message) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
}

// Media in: an ffmpeg RTP stream on a loopback UDP port becomes the RTP of a werift track. werift's sender rewrites
// SSRC, payload type, sequence number and timestamp offsets, so ffmpeg's own values do not matter.
async function startFeed(kind, track) {
  const socket = dgram.createSocket('udp4');
  sockets.push(socket);
  socket.on('message', (packet) => {
    state.fed[kind]++;
    if (state.connectionState === 'connected') state.sent[kind]++;
    track.writeRtp(packet);
  });
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  const input = kind === 'video'
    ? ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15']
    : ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'];
  // A keyframe every second (-g 15 at 15 fps) so a subscriber that arrives late decodes within a second; werift
  // cannot pass the SFU's PLI back to ffmpeg. 1200-byte packets leave room for SRTP and header extensions.
  const encode = kind === 'video'
    ? ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', '-g', '15', '-payload_type', '96']
    : ['-c:a', 'libopus', '-b:a', '32k', '-application', 'voip', '-frame_duration', '20', '-payload_type', '111'];
  // -t: ffmpeg stops by itself even if this script dies without killing it.
  const ffmpegArgs = ['-hide_banner', '-loglevel', 'warning', '-nostdin', '-re', ...input,
    '-t', `${timeoutSeconds + 5}`, ...encode, '-pkt_size', '1200', '-f', 'rtp', `rtp://127.0.0.1:${port}`];
  const child = spawn(ffmpegPath, ffmpegArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  child.stderr.on('data', (d) => process.stderr.write(`[ffmpeg ${kind}] ${d}`));
  child.on('error', (e) => fail(`ffmpeg ${kind} failed to start: ${e.message}`));
  child.on('exit', (code, signal) => {
    if (!exiting) fail(`ffmpeg ${kind} exited early (code ${code}, signal ${signal})`);
  });
  emit({ type: 'event', event: 'feed', kind, port });
}

function addRemoteProducer(producer) {
  if (producer.participantId === state.participantId || state.receivers.has(producer.id)) return false;
  state.producers.set(producer.id, producer);
  const transceiver = pc.addTransceiver(producer.kind, { direction: 'recvonly' });
  state.receivers.set(producer.id, transceiver);
  state.receivedByProducer[producer.id] = 0;
  transceiver.onTrack.subscribe((track) => {
    emit({ type: 'event', event: 'track', producerId: producer.id, kind: track.kind, ssrc: track.ssrc });
    track.onReceiveRtp.subscribe(() => {
      if (!state.receivers.has(producer.id)) return;
      state.received[producer.kind]++;
      state.receivedByProducer[producer.id]++;
    });
  });
  return true;
}

function removeRemoteProducer(producerId) {
  const transceiver = state.receivers.get(producerId);
  if (!transceiver) return false;
  state.receivers.delete(producerId);
  state.producers.delete(producerId);
  transceiver.setDirection('inactive');
  return true;
}

function renegotiate() {
  queue = queue.then(negotiate).catch((e) => fail(`negotiation failed: ${e.message}`));
}

async function negotiate() {
  if (!pc || exiting) return;
  await pc.setLocalDescription(await pc.createOffer());
  const subscriptions = {};
  const sources = {};
  for (const [producerId, t] of state.receivers) if (t.mid) subscriptions[t.mid] = producerId;
  for (const t of pc.getTransceivers()) {
    if (t.sender.track && t.mid) sources[t.mid] = t.kind === 'audio' ? 'microphone' : 'camera';
  }
  const sdp = await new Promise((resolve, reject) => {
    pendingAnswer = { resolve, reject };
    send({ type: 'offer', sdp: pc.localDescription.sdp, subscriptions, sources });
  });
  pendingAnswer = null;
  await pc.setRemoteDescription({ type: 'answer', sdp });
  state.subscriptions = subscriptions;
  state.negotiations++;
  emit({ type: 'event', event: 'negotiated', subscriptions, sources });
}

async function onJoined(message) {
  state.participantId = message.participantId;
  emit({ type: 'event', event: 'joined', participantId: message.participantId, producers: message.producers });
  pc = new RTCPeerConnection({
    bundlePolicy: 'max-bundle',
    iceServers: [],                          // werift defaults to a public STUN server; tests stay on loopback
    iceUseIpv6: false,
    // werift gathers no loopback host candidate by itself; with lo as the only interface it would offer none.
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });
  pc.connectionStateChange.subscribe((s) => {
    state.connectionState = s;
    if (s === 'connected') state.reachedConnected = true;
    status();
  });
  pc.iceConnectionStateChange.subscribe((s) => {
    state.iceConnectionState = s;
    status();
  });
  for (const kind of ['audio', 'video']) {
    if (!publish.has(kind)) continue;
    const track = new MediaStreamTrack({ kind });
    pc.addTransceiver(track, { direction: 'sendonly' });
    await startFeed(kind, track);
  }
  for (const producer of message.producers) addRemoteProducer(producer);
  renegotiate();
}

function onMessage(message) {
  switch (message.type) {
    case 'joined': onJoined(message).catch((e) => fail(`join failed: ${e.message}`)); break;
    case 'answer': pendingAnswer?.resolve(message.sdp); break;
    case 'producerAdded':
      emit({ type: 'event', event: 'producerAdded', producer: message.producer });
      if (pc && addRemoteProducer(message.producer)) renegotiate();
      break;
    case 'producerRemoved':
      emit({ type: 'event', event: 'producerRemoved', producerId: message.producerId });
      if (pc && removeRemoteProducer(message.producerId)) renegotiate();
      break;
    case 'error':
      fail(`server error ${message.code}: ${message.message}`);
      pendingAnswer?.reject(new Error(message.code));
      break;
    default: break;
  }
}

async function shutdown(reason, code) {
  if (exiting) return;
  exiting = true;
  clearInterval(ticker);
  clearTimeout(hardTimeout);
  status();
  emit({ type: 'exit', reason, code });
  try { send({ type: 'leave' }); } catch { /* closing anyway */ }
  // Reap the ffmpeg children before leaving, so none lingers as a zombie.
  const reaped = children.filter((c) => c.exitCode === null && c.signalCode === null)
    .map((c) => new Promise((r) => { c.once('exit', r); c.kill('SIGKILL'); }));
  await Promise.race([Promise.all(reaped), new Promise((r) => setTimeout(r, 1000))]);
  for (const socket of sockets) socket.close();
  try { await Promise.race([pc?.close(), new Promise((r) => setTimeout(r, 1000))]); } catch { /* closing anyway */ }
  try { ws?.close(); } catch { /* closing anyway */ }
  // werift keeps timers alive; leave explicitly once stdout has drained.
  process.stdout.write('', () => process.exit(code));
}

const ticker = setInterval(status, 250);
const hardTimeout = setTimeout(() => shutdown(`hard timeout ${timeoutSeconds} s`, 2), timeoutSeconds * 1000);
process.stdin.on('end', () => shutdown('stdin closed', 0));
process.stdin.on('error', () => shutdown('stdin error', 0));
process.stdin.resume();
process.on('SIGTERM', () => shutdown('SIGTERM', 0));
process.on('SIGINT', () => shutdown('SIGINT', 0));
process.on('unhandledRejection', (e) => fail(`unhandled rejection: ${e?.stack ?? e}`));

if (typeof WebSocket !== 'function') {
  console.error('no global WebSocket: run node 22+, or node 20 with --experimental-websocket');
  process.exit(70);
}
ws = new WebSocket(serverUrl.replace(/^http/, 'ws').replace(/\/$/, '') + '/ws');
ws.onopen = () => {
  emit({ type: 'event', event: 'socketOpen' });
  send({ type: 'join', room: roomId, token });
};
ws.onmessage = (e) => {
  let message;
  try { message = JSON.parse(e.data); } catch { return fail('bad JSON from server'); }
  onMessage(message);
};
// Node 20's WebSocket reports a refused connection through onerror alone, without onclose.
ws.onerror = () => {
  if (exiting) return;
  fail('signaling socket error');
  shutdown('signaling socket error', 3);
};
ws.onclose = () => shutdown('signaling socket closed', exiting ? 0 : 3);
