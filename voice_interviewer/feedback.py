"""Written feedback from an analysis dict: Markdown (feedback.md) and the rich terminal view."""
from __future__ import annotations

from voice_interviewer.config import DEFAULT_THRESHOLDS as T

NOTHING_HEARD = "Nothing was heard in this recording."


def nothing_heard(analysis: dict) -> bool:
    """A recording in which no words were heard (not a written answer)."""
    return analysis.get("duration_s") is not None and not (analysis.get("transcript") or {}).get("words")


def _warnings(analysis: dict) -> list[str]:
    from voice_interviewer.analysis import NO_SPEECH

    return [w for w in analysis.get("warnings") or [] if not (w == NO_SPEECH and nothing_heard(analysis))]


def delivery_rows(analysis: dict) -> list[tuple[str, str, str]]:
    """(metric, value, band or norm) rows, shared by the Markdown and terminal views."""
    d = analysis.get("delivery") or {}
    if not d:
        return []
    f = d["fillers"]
    by_word = ", ".join(f"{k} {v}" for k, v in sorted(f["by_word"].items(), key=lambda kv: -kv[1])) or "none"
    rows = [
        ("Length", f"{d['length']['seconds']:.0f} s", f"{d['length']['band']} (aim for {T.length_short_s:.0f}-{T.length_good_max_s:.0f} s)"),
        ("Pace", f"{d['wpm']:.0f} wpm", f"{d['pace_band']} (aim for {T.pace_slow_wpm:.0f}-{T.pace_fast_wpm:.0f})"),
        ("Articulation rate", f"{d['articulation_wpm']:.0f} wpm", "pauses removed"),
        ("Fillers", f"{f['total']} ({f['per_minute']:.1f}/min, {f['percent']:.1f} %)",
         f"{d['filler_band'].replace('_', ' ')} (under {T.filler_excellent_pct:g} % is excellent); {by_word}"),
        ("Pauses over 1 s", f"{d['pauses']['count']} (longest {d['pauses']['longest_s']:.1f} s)",
         f"{sum(p['mid_sentence'] for p in d['pauses']['items'])} mid-sentence; over {T.pause_lost_s:g} s reads as lost"),
    ]
    if d.get("time_to_first_word_s") is not None:
        rows.append(("First word after", f"{d['time_to_first_word_s']:.1f} s", f"up to {T.first_word_ok_s:g} s is fine"))
    v = d.get("volume") or {}
    if v.get("mean_dbfs") is not None:
        drop = v.get("sentence_end_drop_db")
        rows.append(("Volume", f"{v['mean_dbfs']:.0f} dBFS",
                     ("trailing off at sentence ends" if v.get("trailing_off") else "steady")
                     + (f" (ends {drop:+.1f} dB)" if drop is not None else "")))
    p = d.get("pitch") or {}
    if p.get("stdev_semitones") is not None:
        rows.append(("Pitch variation", f"{p['stdev_semitones']:.1f} semitones",
                     "monotone" if p.get("monotone") else f"varied (under {T.monotone_semitones:g} sounds flat)"))
    r = d.get("readability") or {}
    if r.get("flesch_reading_ease") is not None:
        rows.append(("Readability", f"Flesch {r['flesch_reading_ease']:.0f}, grade {r['grade']:.0f}", "plain spoken English scores 60+"))
    return rows


def markdown(analysis: dict) -> str:
    """feedback.md for one take."""
    lines = ["# Feedback", ""]
    if analysis.get("question"):
        lines += [f"**Question:** {analysis['question']}", ""]
    if nothing_heard(analysis):
        lines += [f"{NOTHING_HEARD} ({analysis['duration_s']:.1f} s of audio)", ""]
    for w in _warnings(analysis):
        lines.append(f"> Warning: {w}")
    if _warnings(analysis):
        lines.append("")
    c = analysis.get("content")
    if c:
        lines += content_markdown(c)
    story = analysis.get("story")
    if story:
        lines += [f"## Against your prepared story: {story.get('name')}", ""]
        lines += [f"- said: {p['label']}" for p in story["said"]]
        lines += [f"- **left out: {p['label']}**" for p in story["left_out"]]
        lines += [f'- new claim: "{c}"' for c in story["new_claims"]]
        lines.append("")
    rows = delivery_rows(analysis)
    if rows:
        lines += ["## Delivery", "", "| | | |", "|---|---|---|"]
        lines += [f"| {a} | {b} | {c_} |" for a, b, c_ in rows]
        lines.append("")
    t = analysis.get("transcript") or {}
    if t.get("verbatim"):
        lines += ["## Transcript (fillers kept)", "", t["verbatim"], ""]
    return "\n".join(lines)


def content_markdown(c: dict) -> list[str]:
    from voice_interviewer.content import checklist

    lines = [f"## Content: {c.get('grade', '?')}", ""]
    for mark, name, quote in checklist(c):
        lines.append(f"- [{mark}] {name}" + (f': "{quote}"' if quote else ""))
    lines.append("")
    if c.get("tips"):
        lines += ["## Tips", ""]
        for i, tip in enumerate(c["tips"], 1):
            lines.append(f"{i}. {tip['tip']}")
            if tip.get("quote"):
                lines.append(f'   - You said: "{tip["quote"]}"')
            if tip.get("suggestion"):
                lines.append(f'   - Try: "{tip["suggestion"]}"')
        lines.append("")
    return lines


def print_summary(analysis: dict, console=None, *, title: str | None = None) -> None:
    """The human view of one analysis (rich)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = console or Console()
    if nothing_heard(analysis):
        name = title or analysis.get("file")
        if name:
            console.print(f"[bold]{escape(name)}[/bold]")
        console.print(f"[yellow]{NOTHING_HEARD}[/yellow] ({analysis['duration_s']:.1f} s of audio; "
                      "is the right microphone selected? `voice-interviewer devices` lists them)")
        for w in _warnings(analysis):
            console.print(f"[yellow]Warning:[/yellow] {escape(w)}")
        return
    table = Table(title=title or analysis.get("file") or "Answer", show_header=False, title_justify="left")
    table.add_column("metric", style="bold")
    table.add_column("value")
    table.add_column("band / norm", style="dim")
    if analysis.get("duration_s") is not None:
        table.add_row("Duration", f"{analysis['duration_s']:.1f} s", "")
    for row in delivery_rows(analysis):
        table.add_row(*row)
    if table.row_count:
        console.print(table)
    elif title or analysis.get("file"):
        console.print(f"[bold]{escape(title or analysis.get('file'))}[/bold]")
    for w in _warnings(analysis):
        console.print(f"[yellow]Warning:[/yellow] {escape(w)}")
    c = analysis.get("content")
    if c:
        from voice_interviewer.content import checklist

        console.print(f"[bold]Content:[/bold] {c.get('grade')}")
        for mark, name, quote in checklist(c):
            colour = "green" if mark == "x" else ("red" if mark == "!" else "dim")
            console.print(f"  [{colour}]{escape('[' + mark + ']')}[/{colour}] {name}"
                          + (f' [dim]"{escape(quote)}"[/dim]' if quote else ""))
        for i, tip in enumerate(c.get("tips") or [], 1):
            console.print(f"  [bold]{i}.[/bold] {tip['tip']}")
            if tip.get("suggestion"):
                console.print(f'     [cyan]Try:[/cyan] "{tip["suggestion"]}"')
