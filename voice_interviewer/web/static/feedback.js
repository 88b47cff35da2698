'use strict';
// The feedback panel: the same content and delivery feedback as the terminal (the server sends the rows and
// the checklist the terminal prints), the answer's video or audio with a transcript whose words seek it,
// fillers and pauses marked, and what the camera saw.

const MARKS = { 'x': ['ok', '✓'], '!': ['bad', '✗'], ' ': ['missing', '○'] };
const PAUSE_MIN_S = 1.0;

function renderFeedback(container, view, actions) {
  container.replaceChildren();
  // The video is given once it is complete; until then (it is still being finished) the answer's audio plays.
  const player = view.media.video ? videoPlayer(view.media.video)
    : (view.media.audio ? el('audio', { class: 'playback', src: view.media.audio, controls: true, preload: 'auto' }) : null);
  const media = el('div', { class: 'fb-media' },
    player || el('p', { class: 'warn', text: 'The recording is missing.' }),
    view.media.video_pending ? el('p', { class: 'meta', id: 'video-note', text: 'The video is being finished; it appears here in a moment.' })
      : (!view.media.video ? el('p', { class: 'meta', text: 'Audio only: the camera was off for this answer.' }) : null),
    el('h3', { text: 'Transcript' }),
    el('p', { class: 'meta', text: 'Click a word to play from there. Fillers are highlighted; pauses of a second or more are marked.' }),
    transcript(view));
  const panel = el('section', { class: 'feedback', 'data-testid': 'feedback', 'data-take': view.take },
    el('div', { class: 'fb-head' },
      el('h2', { text: 'Feedback' }),
      view.grade ? el('span', { class: `grade ${view.grade}`, text: view.grade }) : null,
      el('span', { class: 'meta', text: `${view.take}${view.duration_s ? ' · ' + clock(view.duration_s) : ''}` })),
    el('p', { class: 'fb-question', text: view.question || '' }),
    view.warnings.map(w => el('p', { class: 'warn', text: w })),
    el('div', { class: 'fb-grid' },
      media,
      el('div', { class: 'fb-notes' },
        contentSection(view),
        storySection(view.story),
        deliverySection(view),
        el('section', { class: 'presence', id: 'presence', 'data-state': view.presence.state },
          presenceBody(view.presence)))),
    actions ? el('div', { class: 'fb-actions' }, actions) : null,
    el('p', { class: 'meta' }, el('a', { href: view.report, target: '_blank', rel: 'noopener', text: 'Full report (charts, printable)' })));
  container.append(panel);
  if (player) attachPlayer(panel, player);
  return panel;
}

function videoPlayer(src) {
  return el('video', { class: 'playback', src, controls: true, preload: 'auto', playsinline: true });
}

// The panel's audio gives way to the finished video (at the same point, playing on if it was playing).
function showVideo(panel, src) {
  const old = panel.player;
  if (old && old.tagName === 'VIDEO') return;
  const video = videoPlayer(src);
  const note = panel.querySelector('#video-note');
  if (note) note.remove();
  if (old) {
    const at = old.currentTime, playing = !old.paused;
    old.pause();
    video.addEventListener('loadedmetadata', () => {
      video.currentTime = at;
      if (playing) video.play().catch(() => {});
    }, { once: true });
    old.replaceWith(video);
  } else {
    panel.querySelector('.fb-media').prepend(video);
  }
  attachPlayer(panel, video);
}

// Words seek the panel's current player, which marks the word being said as it plays.
function attachPlayer(panel, player) {
  panel.player = player;
  const spans = [...panel.querySelectorAll('#transcript .w')];
  let current = null;
  player.addEventListener('timeupdate', () => {
    const t = player.currentTime;
    const found = spans.find(s => parseFloat(s.dataset.start) <= t && t <= parseFloat(s.dataset.end) + 0.05) || null;
    if (found !== current) {
      if (current) current.classList.remove('current');
      if (found) found.classList.add('current');
      current = found;
    }
  });
}

function transcript(view) {
  const p = el('p', { class: 'transcript', id: 'transcript' });
  if (!view.words.length) {
    p.textContent = view.text || '(no words were heard)';
    return p;
  }
  let prevEnd = null;
  for (const w of view.words) {
    if (prevEnd !== null && w.start - prevEnd >= PAUSE_MIN_S) {
      p.append(el('span', { class: 'pause', title: 'pause', text: `${(w.start - prevEnd).toFixed(1)} s` }), ' ');
    }
    const span = el('span', { class: w.filler ? 'w filler' : 'w', 'data-start': w.start.toFixed(3), 'data-end': w.end.toFixed(3),
                              title: w.filler ? 'filler' : null, text: w.word });
    span.addEventListener('click', () => {
      const player = span.closest('[data-testid=feedback]')?.player;
      if (!player) return;
      player.currentTime = w.start;
      player.play().catch(() => {});
    });
    p.append(span, ' ');
    prevEnd = prevEnd === null ? w.end : Math.max(prevEnd, w.end);
  }
  return p;
}

function contentSection(view) {
  if (!view.checklist.length) return el('section', {}, el('h3', { text: 'Content' }), el('p', { text: 'No content to judge (no speech).' }));
  return el('section', { class: 'content' },
    el('h3', { text: 'Content' }),
    el('ul', { class: 'check' }, view.checklist.map(([mark, name, quote]) =>
      el('li', {}, el('span', { class: `mark ${MARKS[mark][0]}`, text: MARKS[mark][1] }), name,
        quote ? el('q', { text: quote }) : null))),
    view.tips.length ? el('h3', { text: 'Tips' }) : null,
    el('ol', { class: 'tips' }, view.tips.map(t => el('li', {},
      el('b', { text: t.tip }),
      t.quote ? el('div', {}, 'You said: ', el('q', { text: t.quote })) : null,
      t.suggestion ? el('div', { class: 'try', text: `Try: “${t.suggestion}”` }) : null))));
}

function storySection(story) {
  if (!story) return null;
  return el('section', { class: 'story' },
    el('h3', { text: `Against your prepared story: ${story.name || ''}` }),
    el('ul', {},
      (story.said || []).map(p => el('li', { text: `said: ${p.label}` })),
      (story.left_out || []).map(p => el('li', { class: 'left-out', text: `left out: ${p.label}` })),
      (story.new_claims || []).map(c => el('li', { text: `new claim: “${c}”` }))));
}

function deliverySection(view) {
  if (!view.delivery.length) return null;
  return el('section', { class: 'delivery' },
    el('h3', { text: 'Delivery' }),
    el('table', {}, el('tbody', {}, view.delivery.map(([metric, value, band]) =>
      el('tr', {}, el('th', { text: metric }), el('td', { text: value }), el('td', { class: 'band', text: band }))))));
}

function presenceBody(presence) {
  const head = el('h3', { text: 'On camera' });
  if (presence.state === 'none') return [head, el('p', { class: 'meta', text: 'No video for this answer (audio only).' })];
  if (presence.state === 'pending') return [head, el('p', { class: 'meta', text: 'Looking at the video…' })];
  if (presence.state === 'failed') return [head, el('p', { class: 'warn', text: `The video could not be read: ${presence.error || ''}` })];
  const share = v => (v === null || v === undefined ? '–' : `${Math.round(v * 100)} %`);
  return [head,
    el('ul', { class: 'statements' }, presence.statements.map(s => el('li', { text: s }))),
    el('table', { class: 'figures' }, el('tbody', {},
      el('tr', {}, el('th', { text: 'Face in frame' }), el('td', { 'data-figure': 'face_in_frame_share', text: share(presence.face_in_frame_share) })),
      el('tr', {}, el('th', { text: 'Centred' }), el('td', { 'data-figure': 'centred_share', text: share(presence.centred_share) })),
      el('tr', {}, el('th', { text: 'Good distance' }), el('td', { 'data-figure': 'size_ok_share', text: share(presence.size_ok_share) })),
      el('tr', {}, el('th', { text: 'Facing the camera' }), el('td', { 'data-figure': 'facing_share', text: share(presence.facing_share) })))),
    el('p', { class: 'meta', text: `Measured on ${presence.frames_looked_at} frames with ${presence.model}; eye contact itself is not measured.` })];
}

function updatePresence(panel, presence) {
  const section = panel.querySelector('#presence');
  if (!section) return;
  section.dataset.state = presence.state;
  section.replaceChildren(...presenceBody(presence));
}

async function pollPresence(panel, takeId) {
  for (let i = 0; i < 600; i++) {
    const presence = await getJSON(`/api/takes/${takeId}/presence`);
    if (presence.state !== 'pending') { updatePresence(panel, presence); return presence; }
    await new Promise(r => setTimeout(r, 1000));
  }
  return null;
}
