'use strict';
// One saved take's page: the same feedback panel as the room, from the take's saved analysis.
(async function () {
  const area = document.getElementById('feedback-area');
  const id = location.pathname.replace(/^\/takes\//, '');
  try {
    const view = await getJSON(`/api/takes/${id}`);
    document.title = `${view.question || view.take} · voice-interviewer`;
    const panel = renderFeedback(area, view, null);
    if (view.presence.state === 'pending') {
      await pollPresence(panel, view.take);
      if (view.media.video_pending) {  // the answer was still coming in when this page opened
        const now = await getJSON(`/api/takes/${id}`);
        if (now.media.video) showVideo(panel, now.media.video);
      }
    }
  } catch (e) {
    area.replaceChildren(el('p', { class: 'warn', text: `This take cannot be shown: ${e.message}` }));
  }
})();
