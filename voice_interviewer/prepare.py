"""`prepare`: walk through the article's six reflection questions, aloud and on screen, and build the
story outline that practice checks answers against. Answers are spoken (recorded and transcribed),
typed (--type), or read from a file (--answers)."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from voice_interviewer.stories import REFLECTIONS


def ask_all(*, typed: bool, speak_enabled: bool, voice=None, input_device=None, engine_loader=None,
            end_silence: float = 4.0, console=None) -> dict[str, str]:
    """The six answers, one by one, each can be redone (at a terminal). `voice`: a speech voice, a name, or
    None for the default."""
    from rich.console import Console

    from voice_interviewer.practice import Terminal, say_aloud

    term = Terminal(console or Console(highlight=False))
    answers = {}
    for n, r in enumerate(REFLECTIONS, 1):
        while True:
            heading = f"\n[bold]{n}/6[/bold] {r.question}"
            if speak_enabled:  # the question appears as it is heard
                speak_enabled = say_aloud(r.question, term, voice, show=lambda: term.say(heading))
            else:
                term.say(heading)
            text = _typed_answer() if typed else _spoken_answer(engine_loader, input_device, end_silence, term)
            term.say(f"[dim]{text or '(nothing)'}[/dim]")
            if term.choose("Keep this answer?", {"k": "keep", "r": "redo"}, default="k") != "r":
                break
        answers[r.key] = text
    return answers


def _typed_answer() -> str:
    lines = []
    print("Type your answer; finish with an empty line:", flush=True)
    for line in sys.stdin:
        if not line.strip():
            break
        lines.append(line.strip())
    return " ".join(lines)


def _spoken_answer(engine_loader, input_device, end_silence, term) -> str:
    import threading

    from voice_interviewer.answer import LiveAnswer
    from voice_interviewer.capture import RecordingUI, record_answer

    engine = engine_loader.get()
    stop, done = threading.Event(), threading.Event()
    term.watch_enter(stop, done)
    with tempfile.TemporaryDirectory(prefix="vi-prepare-") as tmp:
        note = LiveAnswer(Path(tmp), engine)
        try:
            record_answer(note, device=input_device, end_silence=end_silence, max_seconds=300,
                          start_timeout=30, ui=RecordingUI(), stop_event=stop)
        finally:
            done.set()
            note.close()
        words, _ = note.transcriber.finish()
    from voice_interviewer.analysis import clean_text

    return clean_text(words)
