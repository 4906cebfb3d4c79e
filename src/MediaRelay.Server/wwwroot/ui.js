// The consultation page's view: language, status line, video tiles (one per video producer, the shared screen on
// the stage), the participant list and the dominant-speaker highlight. No signaling here (see room.js).
'use strict';
window.MediaRelayUi = (() => {
  const strings = window.MediaRelayStrings;
  const $ = (id) => document.getElementById(id);
  let language = 'en';
  let statusKey = 'connecting';
  let statusVars = {};
  let statusIsError = false;

  function pickLanguage() {
    const wanted = [new URLSearchParams(location.search).get('lang'), localStorage.getItem('mediarelay.lang'),
      ...(navigator.languages || [navigator.language])];
    for (const tag of wanted) {
      const code = (tag || '').toLowerCase().split('-')[0];
      if (strings[code]) return code;
    }
    return 'en';
  }

  function t(key, vars) {
    const text = (strings[language] && strings[language][key]) || strings.en[key] || key;
    return text.replace(/\{(\w+)\}/g, (_, name) => (vars && vars[name] !== undefined ? vars[name] : ''));
  }

  function applyLanguage(code) {
    language = strings[code] ? code : 'en';
    document.documentElement.lang = language;
    localStorage.setItem('mediarelay.lang', language);
    for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    setStatus(statusKey, statusIsError, statusVars);
    for (const tile of document.querySelectorAll('.tile')) labelTile(tile);
    renderParticipants();
  }

  function setStatus(key, isError, vars) {
    statusKey = key; statusIsError = !!isError; statusVars = vars || {};
    $('status').textContent = t(key, statusVars);
    $('status').classList.toggle('error', statusIsError);
  }

  // The state the view reads: set by room.js.
  let model = { participants: new Map(), selfId: null, selfName: '', speakerId: null };

  function labelTile(tile) {
    const id = tile.dataset.participant;
    const name = id === 'local' ? `${model.selfName} (${t('you')})` : (model.participants.get(id)?.name || '');
    tile.querySelector('.name').textContent = tile.dataset.source === 'screen' ? t('screenOf', { name }) : name;
  }

  /** The tile of one video producer ('local' for our own camera); created on first use. */
  function tileFor(participantId, producerId, source) {
    let tile = document.querySelector(`.tile[data-producer="${producerId}"]`);
    if (!tile) {
      tile = document.createElement('div');
      tile.className = 'tile';
      tile.dataset.participant = participantId;
      tile.dataset.producer = producerId;
      tile.dataset.source = source;
      const video = document.createElement('video');
      video.autoplay = true; video.playsInline = true; video.muted = true;
      const label = document.createElement('span');
      label.className = 'name';
      tile.append(video, label);
      (source === 'screen' ? $('stage') : $('tiles')).append(tile);
    }
    labelTile(tile);
    tile.classList.toggle('speaking', participantId === model.speakerId && source !== 'screen');
    return tile;
  }

  function removeTile(producerId) {
    document.querySelector(`.tile[data-producer="${producerId}"]`)?.remove();
  }

  function removeParticipant(participantId) {
    for (const tile of document.querySelectorAll(`.tile[data-participant="${participantId}"]`)) tile.remove();
    document.querySelector(`audio[data-participant="${participantId}"]`)?.remove();
    renderParticipants();
  }

  function playAudio(participantId, track) {
    let audio = document.querySelector(`audio[data-participant="${participantId}"]`);
    if (!audio) {
      audio = document.createElement('audio');
      audio.autoplay = true;
      audio.dataset.participant = participantId;
      document.body.append(audio);
    }
    audio.srcObject = new MediaStream([track]);
  }

  function renderParticipants() {
    const list = $('participants');
    list.replaceChildren();
    const entries = [[model.selfId || 'local', { name: `${model.selfName} (${t('you')})` }], ...model.participants];
    for (const [id, p] of entries) {
      const item = document.createElement('li');
      item.textContent = p.name;
      item.dataset.participant = id;
      item.classList.toggle('speaking', id === model.speakerId);
      list.append(item);
    }
  }

  function setSpeaker(participantId) {
    model.speakerId = participantId;
    for (const tile of document.querySelectorAll('.tile')) {
      const isSelf = tile.dataset.participant === 'local' && participantId === model.selfId;
      tile.classList.toggle('speaking',
        tile.dataset.source !== 'screen' && (tile.dataset.participant === participantId || isSelf));
    }
    renderParticipants();
  }

  function init(sharedModel) {
    model = sharedModel;
    language = pickLanguage();
    const select = $('language');
    for (const code of Object.keys(strings)) {
      const option = document.createElement('option');
      option.value = code;
      option.textContent = strings[code].language;
      select.append(option);
    }
    select.value = language;
    select.onchange = () => applyLanguage(select.value);
    applyLanguage(language);
  }

  return { init, t, setStatus, tileFor, removeTile, removeParticipant, playAudio, renderParticipants, setSpeaker,
    applyLanguage, get language() { return language; } };
})();
