"""The HTML report: one self-contained file (CSS, script, charts and the answer's audio inline; no
external URL), which works offline and can be e-mailed. Charts are matplotlib figures inlined as SVG."""
from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import numpy as np

from voice_interviewer import store
from voice_interviewer.config import DEFAULT_THRESHOLDS as T
from voice_interviewer.config import SAMPLE_RATE
from voice_interviewer.takes import Take

ENVELOPE_POINTS = 600
AUDIO_BITRATE_NOTE = "Ogg/Opus, 16 kHz mono"

CSS = """
:root { --ink:#1d2433; --muted:#5b6475; --line:#d9dde5; --good:#1a7f37; --bad:#b42318; --filler:#fff0b3; --pause:#dbe8ff; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink);
       max-width: 980px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.5em; margin: 0 0 4px; } h2 { font-size: 1.15em; margin: 28px 0 8px; border-bottom: 1px solid var(--line); }
.meta { color: var(--muted); margin-bottom: 16px; }
.grade { display: inline-block; padding: 2px 10px; border-radius: 12px; font-weight: 600; }
.grade.strong { background: #d3f5dc; } .grade.adequate { background: #fff0b3; } .grade.weak { background: #ffd9d6; }
audio { width: 100%; margin: 8px 0; }
.transcript { line-height: 2; font-size: 1.05em; }
.w { cursor: pointer; border-radius: 3px; padding: 1px 1px; }
.w:hover { background: #eef; } .w.filler { background: var(--filler); font-style: italic; }
.w.unsure { color: #8a93a3; }
.w.current { background: #1d2433; color: #fff; }
.pause { display: inline-block; background: var(--pause); color: #24408e; font-size: .8em; padding: 0 5px; border-radius: 8px; margin: 0 2px; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.band { color: var(--muted); }
.chart svg { width: 100%; height: auto; }
ul.check { list-style: none; padding: 0; } ul.check li { margin: 4px 0; }
.mark { display: inline-block; width: 1.4em; font-weight: 700; }
.mark.ok { color: var(--good); } .mark.bad { color: var(--bad); } .mark.missing { color: var(--muted); }
q { color: var(--muted); font-style: italic; }
.tip { margin: 8px 0; } .tip .try { color: #24408e; }
.warn { background: #fff4e5; padding: 6px 10px; border-left: 4px solid #f79009; }
.take-link { margin: 4px 0; }
@media print { body { max-width: none; padding: 0; } audio, .noprint { display: none; } h2 { break-after: avoid; }
  .chart, table, .transcript { break-inside: avoid; } .w.current { background: none; color: inherit; } }
"""

SCRIPT = """
(function () {
  const audio = document.getElementById('answer');
  const words = Array.from(document.querySelectorAll('.w'));
  if (!audio) return;
  words.forEach(w => w.addEventListener('click', () => {
    audio.currentTime = parseFloat(w.dataset.start);
    audio.play().catch(() => {});
  }));
  let current = null;
  audio.addEventListener('timeupdate', () => {
    const t = audio.currentTime;
    let found = null;
    for (const w of words) { if (parseFloat(w.dataset.start) <= t && t <= parseFloat(w.dataset.end) + 0.05) { found = w; break; } }
    if (found !== current) {
      if (current) current.classList.remove('current');
      if (found) found.classList.add('current');
      current = found;
    }
  });
})();
"""


def _svg(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]  # drop the XML prolog and DOCTYPE so it can sit inside HTML


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "voice-interviewer", "font.size": 9,
                         "axes.spines.top": False, "axes.spines.right": False})
    return plt


def envelope(samples: np.ndarray, points: int = ENVELOPE_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """Peak level per slice, for a waveform drawing: (times in s, levels 0..1)."""
    if samples.size == 0:
        return np.zeros(0), np.zeros(0)
    n = max(1, samples.size // points)
    k = samples.size // n
    peaks = np.abs(samples[: k * n]).reshape(k, n).max(axis=1)
    times = (np.arange(k) + 0.5) * n / SAMPLE_RATE
    return times, peaks


def waveform_svg(samples: np.ndarray, analysis: dict) -> str:
    plt = _plt()
    t, env = envelope(samples)
    fig, ax = plt.subplots(figsize=(9.5, 1.9))
    ax.fill_between(t, -env, env, color="#4a5a7a", linewidth=0)
    d = analysis.get("delivery") or {}
    for p in (d.get("pauses") or {}).get("items", []):
        ax.axvspan(p["start"], p["end"], color="#9db9ff", alpha=0.45, linewidth=0)
    for f in (d.get("fillers") or {}).get("items", []):
        ax.axvline((f["start"] + f["end"]) / 2, color="#e0a800", linewidth=1.6)
        ax.text((f["start"] + f["end"]) / 2, 1.02, f["word"], color="#8a6500", fontsize=7, ha="center", va="bottom",
                transform=ax.get_xaxis_transform())
    ax.set_xlim(0, max(t[-1] if t.size else 1.0, 1.0))
    ax.set_ylim(-1, 1)
    ax.set_yticks([])
    ax.set_xlabel("seconds (blue: pauses of 1 s or more; yellow: fillers)")
    return _svg(fig)


def pace_svg(analysis: dict) -> str:
    plt = _plt()
    d = analysis.get("delivery") or {}
    windows = d.get("pace_windows") or []
    fig, ax = plt.subplots(figsize=(9.5, 2.2))
    ax.axhspan(T.pace_slow_wpm, T.pace_fast_wpm, color="#d3f5dc", alpha=0.8, linewidth=0,
               label=f"good pace {T.pace_slow_wpm:.0f}-{T.pace_fast_wpm:.0f} wpm")
    if windows:
        xs = [(w["start_s"] + w["end_s"]) / 2 for w in windows]
        ax.plot(xs, [w["wpm"] for w in windows], marker="o", color="#1d2433")
    ax.set_ylim(0, max([T.pace_fast_wpm + 40] + [w["wpm"] + 20 for w in windows]))
    ax.set_ylabel("words per minute")
    ax.set_xlabel(f"seconds ({T.pace_window_s:.0f} s windows)")
    ax.legend(loc="lower right", frameon=False)
    return _svg(fig)


def trend_svg(rows: list) -> str:
    plt = _plt()
    fig, axes = plt.subplots(1, 4, figsize=(10, 2.3))
    x = list(range(1, len(rows) + 1))
    series = [("WPM", [r.wpm for r in rows], (T.pace_slow_wpm, T.pace_fast_wpm)),
              ("fillers per minute", [r.fillers_per_min for r in rows], None),
              ("length (s)", [r.length_s for r in rows], (T.length_short_s, T.length_good_max_s)),
              ("grade", [r.grade_score for r in rows], None)]
    for ax, (title, ys, band) in zip(axes, series):
        if band:
            ax.axhspan(*band, color="#d3f5dc", linewidth=0)
        ax.plot(x, [np.nan if y is None else y for y in ys], marker="o", color="#1d2433")
        ax.set_title(title)
        ax.set_xticks(x)
        ax.set_xlabel("take")
    axes[3].set_yticks([0, 1, 2], ["weak", "adequate", "strong"])
    axes[3].set_ylim(-0.3, 2.3)
    fig.tight_layout()
    return _svg(fig)


def audio_data_uri(path: Path) -> str:
    """The answer compressed as Ogg/Opus (falls back to FLAC), as a data: URI."""
    import soundfile as sf

    from voice_interviewer.audio import load_audio

    samples = load_audio(path)
    buf = io.BytesIO()
    try:
        sf.write(buf, samples, SAMPLE_RATE, format="OGG", subtype="OPUS")
        mime = "audio/ogg"
    except Exception:
        buf = io.BytesIO()
        sf.write(buf, samples, SAMPLE_RATE, format="FLAC")
        mime = "audio/flac"
    return f"data:{mime};base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def transcript_html(analysis: dict) -> str:
    words = (analysis.get("transcript") or {}).get("words") or []
    parts, prev_end = [], None
    for w in words:
        if prev_end is not None and w["start"] - prev_end >= T.pause_min_s:
            parts.append(f'<span class="pause" title="pause">{w["start"] - prev_end:.1f} s</span>')
        cls = "w" + (" filler" if w.get("filler") else "") + (" unsure" if w.get("low_confidence") else "")
        title = ' title="the model was unsure of this word"' if w.get("low_confidence") else ""
        parts.append(f'<span class="{cls}"{title} data-start="{w["start"]:.3f}" data-end="{w["end"]:.3f}">'
                     f'{html.escape(w["word"])}</span>')
        prev_end = w["end"] if prev_end is None else max(prev_end, w["end"])
    if not parts:
        return f"<p>{html.escape((analysis.get('transcript') or {}).get('text') or '(no words)')}</p>"
    return '<p class="transcript">' + " ".join(parts) + "</p>"


def delivery_table(analysis: dict) -> str:
    from voice_interviewer.feedback import delivery_rows

    rows = delivery_rows(analysis)
    return "<table>" + "".join(f"<tr><th>{html.escape(a)}</th><td>{html.escape(b)}</td><td class=band>{html.escape(c)}</td></tr>"
                               for a, b, c in rows) + "</table>"


def content_html(content: dict | None) -> str:
    if not content:
        return "<p>No content to judge (no speech).</p>"
    from voice_interviewer.content import checklist

    cls = {"x": "ok", "!": "bad", " ": "missing"}
    sym = {"x": "✓", "!": "✗", " ": "○"}
    items = []
    for mark, name, quote in checklist(content):
        q = f' <q>{html.escape(quote)}</q>' if quote else ""
        items.append(f'<li><span class="mark {cls[mark]}">{sym[mark]}</span>{html.escape(name)}{q}</li>')
    tips = []
    for i, t in enumerate(content.get("tips") or [], 1):
        said = f'<div>You said: <q>{html.escape(t["quote"])}</q></div>' if t.get("quote") else ""
        try_ = f'<div class="try">Try: “{html.escape(t["suggestion"])}”</div>' if t.get("suggestion") else ""
        tips.append(f'<div class="tip"><b>{i}. {html.escape(t["tip"])}</b>{said}{try_}</div>')
    grade = html.escape(content.get("grade") or "")
    return (f'<p>Overall: <span class="grade {grade}">{grade}</span></p><ul class="check">{"".join(items)}</ul>'
            + ("<h3>Tips</h3>" + "".join(tips) if tips else ""))


def take_section(take: Take, analysis: dict, heading_level: int = 1) -> str:
    audio = store.take_audio(take.path)
    samples = None
    player = ""
    if audio is not None:
        from voice_interviewer.audio import load_audio

        try:
            samples = load_audio(audio)
            player = f'<audio id="answer" controls preload="auto" src="{audio_data_uri(audio)}"></audio>'
        except Exception:
            player = '<p class="warn">The recording could not be read.</p>'
    h = f"h{heading_level}"
    warnings = "".join(f'<p class="warn">{html.escape(w)}</p>' for w in analysis.get("warnings") or [])
    parts = [f"<{h}>{html.escape(analysis.get('question') or take.name)}</{h}>",
             f'<div class="meta">{html.escape(take.name)} · {html.escape((analysis.get("created_at") or "")[:16].replace("T", " "))}'
             f' · {html.escape(str((analysis.get("transcript") or {}).get("model") or ""))}</div>', warnings, player,
             "<h2>Transcript</h2><p class=meta>Click a word to hear it. Fillers are highlighted; pauses are marked; "
             "words the model was unsure of are grey.</p>",
             transcript_html(analysis)]
    if samples is not None and analysis.get("delivery"):
        parts += ['<h2>Waveform</h2><div class="chart" id="waveform">', waveform_svg(samples, analysis), "</div>",
                  '<h2>Pace over time</h2><div class="chart" id="pace">', pace_svg(analysis), "</div>",
                  "<h2>Delivery</h2>", delivery_table(analysis)]
    parts += ["<h2>Content</h2>", content_html(analysis.get("content"))]
    return "\n".join(parts)


def page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>{body}"
            f"<script>{SCRIPT}</script></body></html>")


def take_report(take: Take) -> Path:
    analysis = take.analysis()
    out = take.path / "report.html"
    store.atomic_write_text(out, page(f"Answer: {analysis.get('question') or take.name}", take_section(take, analysis)))
    return out


def overview_report(takes: list[Take], root: Path, folder: Path, title: str) -> Path:
    """A session (or every take): trends across takes, a table, then each take's transcript and feedback
    (audio only for the latest take, to keep the file small enough to e-mail)."""
    from voice_interviewer.errors import UserError
    from voice_interviewer.history import rows as history_rows

    readable = []
    for t in takes:
        try:
            readable.append((t, t.analysis()))
        except UserError:
            continue
    if not readable:
        raise UserError(f"{folder}: no analysed takes to report on")
    names = {t.name for t, _ in readable}
    rows = [r for r in history_rows(root) if r.take in names]
    body = [f"<h1>{html.escape(title)}</h1>", f'<div class="meta">{len(readable)} take(s)</div>',
            '<h2>Trends across takes</h2><div class="chart" id="trends">', trend_svg(rows), "</div>", "<table><tr>"
            "<th>#</th><th>take</th><th>question</th><th>length</th><th>WPM</th><th>fillers/min</th><th>grade</th></tr>"]
    for i, r in enumerate(rows, 1):
        body.append(f"<tr><td>{i}</td><td>{html.escape(r.take)}</td><td>{html.escape(r.question or '')}</td>"
                    f"<td>{(r.length_s or 0):.0f} s</td><td>{(r.wpm or 0):.0f}</td><td>{(r.fillers_per_min or 0):.1f}</td>"
                    f"<td>{html.escape(r.grade or '-')}</td></tr>")
    body.append("</table>")
    last = readable[-1]
    body.append(take_section(last[0], last[1], heading_level=2))
    out = folder / "report.html"
    store.atomic_write_text(out, page(title, "\n".join(body)))
    return out

