'use strict';
// The practice room: the question shown and spoken, an optional preparation countdown, the camera framed
// like a video call, a microphone meter, the answer timer. While the person answers, the microphone
// (16 kHz float32) and the camera's recording (WebM pieces) go to the server over one WebSocket; the server
// transcribes as they speak, so the feedback comes back as soon as they finish.

const AUDIO_TAG = 1;
const VIDEO_TAG = 2;
const SAMPLE_RATE = 16000;
const WARN_BEFORE_END_S = 15;
const VIDEO_SLICE_MS = 1000;
const VIDEO_TYPES = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm'];

const $ = id => document.getElementById(id);
const room = {
  state: null,          // /api/state
  index: 0,             // question in the list
  prompt: null,         // {question_id, text, follow_up_of}
  stream: null,         // camera + microphone
  cameraOn: true,
  audioContext: null,
  worklet: null,
  phase: 'idle',        // idle | preparing | recording | analysing | feedback
  socket: null,
  recorder: null,
  pending: [],          // audio blocks captured before the socket was ready
  sendChain: Promise.resolve(),
  startedAt: 0,
  timerId: null,
  prepId: null,
  speech: new Audio(),
  lastView: null,
};

function setStatus(text, kind) {
  const s = $('status');
  s.textContent = text || '';
  s.className = `status ${kind || ''}`;
}

// --- camera and microphone -------------------------------------------------------------------------------
async function openDevices() {
  const audio = { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false };
  const video = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24, max: 30 } };
  let stream = null;
  if (room.cameraOn) {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio, video });
    } catch (e) {
      room.cameraOn = false;
      $('device-status').textContent = `No camera (${e.name}): you can still practise, audio only.`;
    }
  }
  if (!stream) {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio });
    } catch (e) {
      $('device-status').textContent = `The microphone is not available (${e.name}). Allow it in the browser and reload.`;
      return false;
    }
  }
  room.stream = stream;
  showCamera();
  await startAudio(stream);
  return true;
}

function showCamera() {
  const hasVideo = room.stream && room.stream.getVideoTracks().length > 0 && room.cameraOn;
  $('camera').srcObject = hasVideo ? room.stream : null;
  $('camera').hidden = !hasVideo;
  $('nocam').hidden = hasVideo;
  $('call').classList.toggle('off', !hasVideo);
  $('camera-toggle').textContent = hasVideo ? 'Turn camera off' : 'Turn camera on';
}

async function startAudio(stream) {
  if (!room.audioContext) {
    room.audioContext = new AudioContext({ sampleRate: SAMPLE_RATE });
    await room.audioContext.audioWorklet.addModule('/static/capture-worklet.js');
  }
  if (room.worklet) room.worklet.disconnect();
  const source = room.audioContext.createMediaStreamSource(new MediaStream(stream.getAudioTracks()));
  const node = new AudioWorkletNode(room.audioContext, 'capture', { numberOfInputs: 1, numberOfOutputs: 0 });
  node.port.onmessage = e => onAudioBlock(e.data);
  source.connect(node);
  room.worklet = node;
  room.audioContext.resume().catch(() => {});
}

function onAudioBlock({ samples, rms }) {
  $('level').value = Math.min(1, rms * 4);
  if (room.phase !== 'recording') return;
  const message = new Uint8Array(1 + samples.byteLength);
  message[0] = AUDIO_TAG;
  message.set(new Uint8Array(samples.buffer), 1);
  if (room.socket && room.socket.readyState === WebSocket.OPEN && room.socketReady) room.socket.send(message);
  else room.pending.push(message);
}

async function toggleCamera() {
  if (room.phase === 'recording' || room.phase === 'analysing') return;
  room.cameraOn = !room.cameraOn;
  if (room.stream) room.stream.getTracks().forEach(t => t.stop());
  await openDevices();
  $('device-status').textContent = room.cameraOn ? '' : 'Camera off: the answer is recorded as audio only.';
}

// --- the question ------------------------------------------------------------------------------------------
function showPrompt(prompt) {
  room.prompt = prompt;
  const total = room.state.questions.length;
  $('q-meta').textContent = prompt.follow_up_of ? `Follow-up to question ${room.index + 1} of ${total}` : `Question ${room.index + 1} of ${total}`;
  $('question').textContent = prompt.text;
  const tip = prompt.follow_up_of ? '' : (room.state.questions[room.index].tip || '');
  $('tip').textContent = tip ? `Tip: ${tip}` : '';
  $('tip').hidden = !tip;
  $('feedback-area').hidden = true;
  room.phase = 'idle';
  setButtons();
  setTimer(0);
  setStatus('Press Start (or Space) when you are ready to answer.');
  speak(prompt.speech).then(startPreparation);
}

async function speak(url) {
  if (!room.state.speak || !url) return;
  room.speech.src = url;
  try {
    await room.speech.play();
  } catch (e) {
    setStatus('Press “Hear the question” to hear it, or read it and press Start.');
    return;
  }
  await new Promise(resolve => { room.speech.onended = resolve; room.speech.onpause = resolve; room.speech.onerror = resolve; });
}

function stopSpeaking() {
  room.speech.pause();
}

function startPreparation() {
  const seconds = Number($('prep').value);
  if (room.phase !== 'idle' || !seconds) return;
  room.phase = 'preparing';
  const end = performance.now() + seconds * 1000;
  $('prep-count').hidden = false;
  const tick = () => {
    const left = (end - performance.now()) / 1000;
    if (room.phase !== 'preparing') { $('prep-count').hidden = true; return; }
    if (left <= 0) { $('prep-count').hidden = true; startAnswer(); return; }
    $('prep-count').textContent = `Preparation: ${Math.ceil(left)} s, then recording starts`;
    room.prepId = setTimeout(tick, 200);
  };
  tick();
}

// --- the answer --------------------------------------------------------------------------------------------
function startAnswer() {
  if (room.phase !== 'idle' && room.phase !== 'preparing' && room.phase !== 'feedback') return;
  if (!room.stream) { setStatus('The microphone is not available.', 'bad'); return; }
  clearTimeout(room.prepId);
  $('prep-count').hidden = true;
  stopSpeaking();
  room.audioContext.resume().catch(() => {});
  room.phase = 'recording';
  room.pending = [];
  room.socketReady = false;
  room.sendChain = Promise.resolve();
  $('feedback-area').hidden = true;
  const withVideo = room.cameraOn && room.stream.getVideoTracks().length > 0 && typeof MediaRecorder !== 'undefined';
  const socket = new WebSocket(`ws://${location.host}/ws/answer`);
  socket.binaryType = 'arraybuffer';
  room.socket = socket;
  socket.onopen = () => socket.send(JSON.stringify({
    type: 'start', question_id: room.prompt.question_id, question: room.prompt.text,
    follow_up_of: room.prompt.follow_up_of || null, sample_rate: SAMPLE_RATE, video: withVideo }));
  socket.onmessage = e => onServerMessage(JSON.parse(e.data));
  socket.onclose = () => {
    if (room.phase === 'recording' || room.phase === 'analysing') {
      setStatus('The connection to the practice room closed; what was recorded is saved.', 'bad');
      endRecordingUI();
      room.phase = 'idle';
      setButtons();
    }
  };
  room.recorder = null;
  if (withVideo) {
    const mimeType = VIDEO_TYPES.find(t => MediaRecorder.isTypeSupported(t)) || '';
    const recorder = new MediaRecorder(room.stream, mimeType ? { mimeType } : {});
    recorder.ondataavailable = e => { if (e.data && e.data.size) queueVideo(e.data); };
    recorder.onstop = () => { room.sendChain = room.sendChain.then(() => sendText({ type: 'video-end' })); };
    recorder.start(VIDEO_SLICE_MS);
    room.recorder = recorder;
  }
  room.startedAt = performance.now();
  room.timerId = setInterval(tick, 250);
  $('rec').hidden = false;
  setButtons();
  setStatus(withVideo ? 'Recording: speak now.' : 'Recording (audio only): speak now.');
}

function queueVideo(blob) {
  room.sendChain = room.sendChain.then(async () => {
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const message = new Uint8Array(1 + bytes.byteLength);
    message[0] = VIDEO_TAG;
    message.set(bytes, 1);
    await whenReady();
    room.socket.send(message);
  });
}

function whenReady() {
  if (room.socketReady) return Promise.resolve();
  return new Promise(resolve => { room.onReady = resolve; });
}

async function sendText(doc) {
  await whenReady();
  if (room.socket.readyState === WebSocket.OPEN) room.socket.send(JSON.stringify(doc));
}

function onServerMessage(msg) {
  if (msg.type === 'started') {
    room.socketReady = true;
    for (const m of room.pending) room.socket.send(m);
    room.pending = [];
    if (room.onReady) { room.onReady(); room.onReady = null; }
  } else if (msg.type === 'feedback') {
    showFeedback(msg.view);
  } else if (msg.type === 'video') {
    if (room.panel && room.panel.dataset.take === msg.take) showVideo(room.panel, msg.url);
  } else if (msg.type === 'presence') {
    if (room.panel && room.panel.dataset.take === msg.take) updatePresence(room.panel, msg.presence);
    document.body.dataset.presenceAfterStopMs = String(Math.round(performance.now() - room.stoppedAt));
  } else if (msg.type === 'error') {
    if (room.phase === 'recording') stopAnswer('error');
    setStatus(msg.message, 'bad');
  }
}

function tick() {
  const seconds = (performance.now() - room.startedAt) / 1000;
  setTimer(seconds);
  const left = room.state.max_s - seconds;
  $('timer').classList.toggle('ending', left <= WARN_BEFORE_END_S);
  if (left <= 0) stopAnswer('limit');
}

function setTimer(seconds) {
  $('timer').textContent = `${clock(seconds)} / ${clock(room.state ? room.state.max_s : 0)}`;
}

function endRecordingUI() {
  clearInterval(room.timerId);
  $('rec').hidden = true;
  $('timer').classList.remove('ending');
}

function stopAnswer(reason) {
  if (room.phase !== 'recording') return;
  room.phase = 'analysing';
  endRecordingUI();
  room.stoppedAt = performance.now();
  // everything captured so far goes first, then "stop"; the video's last piece follows
  room.sendChain = room.sendChain.then(() => sendText({ type: 'stop', reason: reason === 'limit' ? 'limit' : 'finish' }));
  if (room.recorder && room.recorder.state !== 'inactive') room.recorder.stop();
  setButtons();
  setStatus('Analysing your answer…');
}

function showFeedback(view) {
  room.phase = 'feedback';
  room.lastView = view;
  window.lastFeedbackView = view;
  const area = $('feedback-area');
  area.hidden = false;
  const next = room.index + 1 < room.state.questions.length;
  const actions = [
    el('button', { type: 'button', id: 'retry', text: 'Retry this question', onclick: retry }),
    view.follow_up ? el('button', { type: 'button', id: 'follow-up', text: 'Follow-up question', onclick: () => followUp(view) }) : null,
    el('button', { type: 'button', id: 'next', class: 'primary', text: next ? 'Next question' : 'Finish: see your history',
                   onclick: nextQuestion }),
  ];
  room.panel = renderFeedback(area, view, actions);
  const took = performance.now() - room.stoppedAt;
  document.body.dataset.feedbackAfterStopMs = String(Math.round(took));  // read by benchmarks/web_latency.py
  setStatus(`Feedback ready ${(took / 1000).toFixed(1)} s after you finished.`);
  setButtons();
  area.scrollIntoView({ behavior: 'smooth', block: 'start' });
  if (view.spoken_summary && room.state.speak) speak(`/api/takes/${view.take}/summary.wav`);
}

function retry() {
  showPrompt({ ...room.prompt });
}

function followUp(view) {
  showPrompt({ question_id: room.prompt.question_id, text: view.follow_up, follow_up_of: view.take.split('/')[1],
               speech: `/api/takes/${view.take}/follow-up.wav` });
}

function nextQuestion() {
  if (room.index + 1 >= room.state.questions.length) { location.href = '/history'; return; }
  room.index += 1;
  showPrompt(promptFor(room.index));
}

function promptFor(index) {
  const q = room.state.questions[index];
  return { question_id: q.id, text: q.text, follow_up_of: null, speech: `/api/questions/${index}/speech.wav` };
}

function setButtons() {
  const p = room.phase;
  $('start').hidden = p === 'recording' || p === 'analysing';
  $('start').disabled = !room.stream || p === 'analysing';
  $('start').textContent = p === 'feedback' ? 'Answer again' : 'Start answer';
  $('stop').hidden = p !== 'recording';
  $('camera-toggle').disabled = p === 'recording' || p === 'analysing';
  $('prep').disabled = p === 'recording' || p === 'analysing';
  $('replay').disabled = p === 'recording' || p === 'analysing';  // the question is not recorded into the answer
}

// --- keyboard: Space or Enter starts and finishes ----------------------------------------------------------
document.addEventListener('keydown', e => {
  if (e.key !== ' ' && e.key !== 'Enter') return;
  if (e.repeat || e.altKey || e.ctrlKey || e.metaKey) return;
  const t = e.target;
  const own = t === $('start') || t === $('stop');
  if (!own && t instanceof HTMLElement && t.closest('button, a, select, input, textarea, video, audio')) return;
  e.preventDefault();
  if (room.phase === 'recording') stopAnswer('finish');
  else if (room.phase !== 'analysing') startAnswer();
});

// --- start -------------------------------------------------------------------------------------------------
(async function init() {
  $('start').addEventListener('click', e => { e.currentTarget.blur(); startAnswer(); });
  $('stop').addEventListener('click', e => { e.currentTarget.blur(); stopAnswer('finish'); });
  $('camera-toggle').addEventListener('click', toggleCamera);
  $('replay').addEventListener('click', () => speak(room.prompt && room.prompt.speech));
  try {
    room.state = await getJSON('/api/state');
  } catch (e) {
    setStatus(`The practice room is not available: ${e.message}`, 'bad');
    return;
  }
  $('prep').value = String(room.state.prep_s || 0);
  if (!$('prep').value) {
    $('prep').append(el('option', { value: String(room.state.prep_s), text: `${room.state.prep_s} s` }));
    $('prep').value = String(room.state.prep_s);
  }
  $('replay').hidden = !room.state.speak;
  if (!navigator.mediaDevices || !window.AudioWorkletNode) {
    setStatus('This browser cannot record here: open the address in a current Chromium, Chrome, Edge or Firefox.', 'bad');
    return;
  }
  const ok = await openDevices();
  setButtons();
  document.body.dataset.ready = ok ? 'yes' : 'no';
  showPrompt(promptFor(0));
})();
