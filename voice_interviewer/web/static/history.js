'use strict';
// Every saved take (the same rows and trends as `voice-interviewer history`), newest first, with a small
// chart per measure drawn as SVG, and a link to each take's feedback and report.

const CHARTS = [
  ['wpm', 'Pace (WPM)', [100, 165]],
  ['fillers_per_min', 'Fillers per minute', null],
  ['length_s', 'Length (s)', [45, 120]],
  ['longest_pause_s', 'Longest pause (s)', null],
  ['grade_score', 'Grade', null],
];
const GRADES = ['weak', 'adequate', 'strong'];

function chart(rows, key, title, band, trend) {
  const W = 220, H = 90, P = 8;
  const values = rows.map(r => r[key]);
  const known = values.filter(v => v !== null && v !== undefined);
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: 'spark', role: 'img', 'aria-label': title });
  if (!known.length) return el('figure', { class: 'chart' }, el('figcaption', { text: `${title}: no data` }));
  let lo = Math.min(...known, ...(band || [])), hi = Math.max(...known, ...(band || []));
  if (key === 'grade_score') { lo = 0; hi = 2; }
  if (hi === lo) { hi += 1; lo -= 1; }
  const x = i => P + (values.length === 1 ? (W - 2 * P) / 2 : i * (W - 2 * P) / (values.length - 1));
  const y = v => H - P - (v - lo) / (hi - lo) * (H - 2 * P);
  if (band) svg.append(svgEl('rect', { x: P, y: y(band[1]), width: W - 2 * P, height: y(band[0]) - y(band[1]), class: 'band' }));
  let d = '';
  values.forEach((v, i) => { if (v !== null && v !== undefined) d += `${d ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`; });
  svg.append(svgEl('path', { d, class: 'line' }));
  values.forEach((v, i) => { if (v !== null && v !== undefined) svg.append(svgEl('circle', { cx: x(i), cy: y(v), r: 2.5, class: 'dot' })); });
  const latest = known[known.length - 1];
  const shown = key === 'grade_score' ? GRADES[latest] : fmt(latest, key === 'fillers_per_min' || key === 'longest_pause_s' ? 1 : 0);
  return el('figure', { class: 'chart' }, svg,
    el('figcaption', {}, `${title}: ${shown} `, el('span', { class: 'arrow', title: 'first to latest (↑ better, ↓ worse)', text: trend ? trend.arrow : '' })));
}

(async function () {
  let data;
  try {
    data = await getJSON('/api/takes');
  } catch (e) {
    document.getElementById('summary').textContent = `History is not available: ${e.message}`;
    return;
  }
  const takes = data.takes;  // newest first
  document.getElementById('summary').textContent = takes.length
    ? `${takes.length} take(s), newest first. Trends run from the oldest take to the newest.`
    : 'No takes yet: answer a question in the practice room.';
  const oldestFirst = [...takes].reverse();
  if (takes.length) {
    document.getElementById('trends').append(...CHARTS.map(([key, title, band]) => chart(oldestFirst, key, title, band, data.trends.all[key])));
  }
  const body = document.querySelector('#takes tbody');
  for (const r of takes) {
    body.append(el('tr', { 'data-take': r.take },
      el('td', { text: (r.date || '').replace('T', ' ').slice(0, 16) }),
      el('td', {}, el('a', { href: `/takes/${r.take}`, text: r.question || r.question_id || r.take })),
      el('td', { text: fmt(r.length_s, 0, ' s') }),
      el('td', { text: fmt(r.wpm, 0) }),
      el('td', { text: fmt(r.fillers_per_min, 1) }),
      el('td', { text: fmt(r.longest_pause_s, 1, ' s') }),
      el('td', {}, r.grade ? el('span', { class: `grade ${r.grade}`, text: r.grade }) : '–'),
      el('td', {}, el('a', { href: `/takes/${r.take}/report`, target: '_blank', rel: 'noopener', text: 'report' }))));
  }
})();
