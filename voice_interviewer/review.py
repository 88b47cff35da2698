"""Reviewing a take in the terminal: transcript with fillers highlighted, words the model was unsure of
greyed, and pauses in place."""
from __future__ import annotations

from rich.text import Text

PAUSE_SHOWN_S = 1.0
FILLER_STYLE = "bold yellow on grey23"
UNSURE_STYLE = "grey50"


def transcript_text(analysis: dict, pause_s: float = PAUSE_SHOWN_S) -> Text:
    """The verbatim words; fillers highlighted, low-confidence words greyed, silences of `pause_s` or more
    shown as [1.8 s]."""
    words = (analysis.get("transcript") or {}).get("words") or []
    out = Text()
    prev_end = None
    for w in words:
        if prev_end is not None and w["start"] - prev_end >= pause_s:
            out.append(f" [{w['start'] - prev_end:.1f} s]", style="bold blue")
        if out:
            out.append(" ")
        style = FILLER_STYLE if w.get("filler") else None
        if w.get("low_confidence"):
            style = f"{style} {UNSURE_STYLE}" if style else UNSURE_STYLE
        out.append(w["word"], style=style)
        prev_end = w["end"] if prev_end is None else max(prev_end, w["end"])
    if not words:
        out.append((analysis.get("transcript") or {}).get("text") or "(no words)")
    return out


def show(analysis: dict, take_name: str, console) -> None:
    from voice_interviewer.feedback import print_summary

    console.print(f"[bold]{take_name}[/bold]")
    if analysis.get("question"):
        console.print(f"[bold]Question:[/bold] {analysis['question']}")
    console.print("[bold]Transcript[/bold] ([yellow]fillers[/yellow], [blue]\\[pauses][/blue], "
                  f"[{UNSURE_STYLE}]unsure words[/{UNSURE_STYLE}]):")
    console.print(transcript_text(analysis))
    console.print()
    print_summary(analysis, console, title="Delivery")


def play(path, start_s: float = 0.0, device=None) -> None:
    from voice_interviewer.sound import sounddevice
    sd = sounddevice()

    from voice_interviewer.audio import load_audio
    from voice_interviewer.config import SAMPLE_RATE

    samples = load_audio(path)
    sd.play(samples[int(max(0.0, start_s) * SAMPLE_RATE):], SAMPLE_RATE, device=device, blocking=True)
