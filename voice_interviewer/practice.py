"""The interview loop: ask a question aloud, record the answer, analyse it, say and show feedback.

One take: speak the question (the model loads meanwhile) -> optional preparation countdown -> record
(`answer.LiveAnswer`: audio on disk as captured, transcribed in the background as the person speaks) ->
analyse the joined words -> save the take -> show written feedback, speak the summary -> offer retry /
follow-up / next / quit. A take in which nothing was heard says so and offers a retry; a take the disk
could not hold ends the session with one line saying what was kept.
"""
from __future__ import annotations

import os
import select
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from voice_interviewer import feedback, store
from voice_interviewer.answer import LiveAnswer, record_status
from voice_interviewer.capture import (END_INTERRUPT, END_NO_SPEECH, END_WRITE_ERROR, RecordingUI, record_answer,
                                       resolve_device)
from voice_interviewer.config import Thresholds
from voice_interviewer.errors import UserError
from voice_interviewer.questions import Bank, Question

VIDEO_PREP_S = 30.0
VIDEO_MAX_S = 120.0
VIDEO_RETAKES = 1


@dataclass
class Options:
    questions: list[Question]
    bank: Bank
    root: Path
    input_device: int | None = None
    output_device: int | None = None
    speak: bool = True
    voice: str | None = None  # a name from `voice-interviewer voices` (None: the default voice)
    rate: int | None = None  # words per minute (None: the voice's own pace)
    show_tips: bool = False
    prep: float = 0.0
    end_silence: float = 4.0
    max_seconds: float = 180.0
    start_timeout: float = 20.0
    video_mode: bool = False
    retakes: int = VIDEO_RETAKES
    role: str | None = None
    values: list[str] = field(default_factory=list)
    engine: str | None = None
    model: str | None = None
    beam_size: int | None = None
    story: dict | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    settings: dict = field(default_factory=dict)


def warm_up_analysis() -> None:
    """textstat reads the CMU pronouncing dictionary on its first use (about a second), and the content judge
    loads its sentence encoder (about half a second): do both while the question is spoken, not in the wait
    after the first answer. A missing encoder is said here, before anything is recorded."""
    from voice_interviewer import content_model
    from voice_interviewer.delivery import readability

    readability("Loading the dictionary now.")
    content_model.load()


class EngineLoader:
    """Loads the model (and warms what the first analysis needs) in a background thread, so the first
    question is spoken at once."""

    def __init__(self, engine: str | None, model: str | None, beam_size: int | None = None):
        self._engine = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._load, args=(engine, model, beam_size), daemon=True)
        self._thread.start()

    def _load(self, engine, model, beam_size):
        try:
            from voice_interviewer.transcribe import load_engine

            self._engine = load_engine(engine, model, beam_size)
            warm_up_analysis()
        except BaseException as exc:
            self._error = exc

    def get(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._engine


class Terminal:
    """Keys and lines from a person at a terminal; when stdin is not a terminal nothing waits for input."""

    def __init__(self, console=None):
        from rich.console import Console

        self.interactive = sys.stdin.isatty()
        self.console = console or Console(highlight=False)

    def say(self, text: str = "", style: str | None = None) -> None:
        self.console.print(text, style=style)

    def choose(self, prompt: str, choices: dict[str, str], default: str) -> str:
        if not self.interactive:
            return default
        from rich.markup import escape

        keys = "/".join(f"[{k}]{v[len(k):] if v.lower().startswith(k) else ' ' + v}" for k, v in choices.items())
        while True:  # "[r]" is the key to press, not rich markup
            self.console.print(f"{escape(prompt)} {escape(keys)} (Enter: {escape(choices[default])}): ", end="")
            try:
                answer = sys.stdin.readline().strip().lower()
            except KeyboardInterrupt:
                return "q"
            if not answer:
                return default
            if answer[0] in choices:
                return answer[0]

    def watch_enter(self, stop: threading.Event, done: threading.Event) -> None:
        """Set `stop` when Enter is pressed, until `done` is set (select: no thread left blocked on read)."""
        if not self.interactive:
            return

        def run():
            while not done.is_set():
                r, _, _ = select.select([sys.stdin], [], [], 0.1)
                if r:
                    sys.stdin.readline()
                    stop.set()
                    return

        threading.Thread(target=run, daemon=True).start()


TIMING_ENV = "VOICE_INTERVIEWER_TIMING"  # benchmarks: print when each step happens, in seconds since launch


def timing(event: str) -> None:
    if os.environ.get(TIMING_ENV):
        import psutil

        since = time.time() - psutil.Process().create_time()
        print(f"timing: {event} {since:.3f}", file=sys.stderr, flush=True)


def interviewer_voice(term: Terminal, name: str | None, rate: int | None = None):
    """Load the voice before the first question (so it is heard as soon as it is shown); a one-line notice
    when the default fell back to espeak-ng. A voice asked for by name that cannot be loaded is a usage error."""
    from voice_interviewer.speech import SpeechError, load_voice

    try:
        voice = load_voice(name, rate)
    except SpeechError as exc:
        raise UserError(str(exc), 2) from None
    if voice.notice:
        term.console.print(voice.notice, style="yellow", soft_wrap=True)  # one line, however narrow
    return voice


def say_aloud(text: str, term: Terminal, voice=None, device=None, show=None) -> bool:
    """Speak `text`, sentence by sentence as each is made; Enter skips the rest. `show` (the text on screen)
    is called as the first sentence starts to play, so the words appear as they are heard (or at once when
    nothing can be spoken). False (after a one-line warning) when text-to-speech failed, so the caller goes
    on with the text on screen only."""
    from voice_interviewer.speech import SpeechError, say

    shown = []

    def show_once():
        if show and not shown:
            shown.append(True)
            show()

    stop, done = threading.Event(), threading.Event()
    term.watch_enter(stop, done)
    try:
        say(text, voice, device=device, stop=stop, on_ready=show_once, on_start=lambda: timing("speech starts"))
    except SpeechError as exc:
        show_once()
        term.say(f"warning: text-to-speech failed ({exc}); reading on screen only", style="yellow")
        return False
    finally:
        done.set()
    show_once()  # stopped (Enter) before the first sentence was ready
    return True


def speak(opts: Options, text: str, term: Terminal, show=None) -> None:
    """Say `text` in the session's voice (see say_aloud); only show it when speaking is off. When the
    neural voice fails mid-session the robotic one takes over; when that fails too, the text alone."""
    if not opts.speak:
        if show:
            show()
        return
    from voice_interviewer.speech import ESPEAK, load_voice

    voice = load_voice(opts.voice, opts.rate)
    if say_aloud(text, term, voice, opts.output_device, show):
        return
    if voice.info["engine"] != ESPEAK:
        opts.voice = ESPEAK
        term.say("notice: speaking with espeak-ng from now on", style="yellow")
        if say_aloud(text, term, load_voice(ESPEAK, opts.rate), opts.output_device):
            return
    opts.speak = False


def prefetch(opts: Options, texts: list[str]) -> None:
    """Make the first sentence of what may be asked next while the person reads the feedback."""
    if opts.speak and texts:
        from voice_interviewer.speech import load_voice

        load_voice(opts.voice, opts.rate).prefetch(texts)


def spoken_voice(opts: Options) -> dict | None:
    """What take.json records as the voice that asked the question (None when it was not spoken)."""
    if not opts.speak:
        return None
    from voice_interviewer.speech import load_voice

    return load_voice(opts.voice, opts.rate).info


def countdown(seconds: float, term: Terminal, label: str) -> None:
    if seconds <= 0:
        return
    end = time.monotonic() + seconds
    last = None
    while (left := end - time.monotonic()) > 0:
        whole = int(left + 0.999)
        if whole != last and (term.interactive or whole % 10 == 0 or whole <= 3):
            term.say(f"{label}: {whole} s")
            last = whole
        time.sleep(min(0.2, left))


@dataclass
class TakeResult:
    take: Path
    analysis: dict | None
    end_reason: str
    feedback_ready_s: float | None = None  # from the end of recording to the feedback being ready
    heard: bool = True  # any words at all
    failure: str | None = None  # a write error: what happened and what was kept, in one line


def run_take(opts: Options, session: store.Session, loader: EngineLoader, question: Question, term: Terminal,
             *, text: str | None = None, follow_up_of: str | None = None, show_feedback: bool = True) -> TakeResult:
    """Ask, record, analyse and save one take."""
    asked = text or question.text

    def show_question():
        term.say(f"\n[bold]Question:[/bold] {asked}")
        timing("question shown")
        if opts.show_tips and question.tip and not follow_up_of:
            term.say(f"[dim]Tip: {question.tip}[/dim]")

    timing("question asked")
    speak(opts, asked, term, show=show_question)  # shown as its first sentence starts to play
    countdown(opts.prep, term, "Preparation time")
    store.check_writable(opts.root, opts.thresholds.min_free_disk_mb)
    take = session.new_take(question.id, asked, follow_up_of, voice=spoken_voice(opts))
    engine = loader.get()  # loaded while the question was spoken
    live = LiveAnswer(take, engine)
    stop, done = threading.Event(), threading.Event()
    term.watch_enter(stop, done)
    try:
        result = record_answer(live, device=opts.input_device, end_silence=opts.end_silence,
                               max_seconds=opts.max_seconds, start_timeout=opts.start_timeout,
                               ui=RecordingUI(), stop_event=stop)
    except BaseException:
        live.abandon()
        if live.seconds_kept == 0:  # the device failed before any audio: no take to keep
            session.discard_take(take)
        raise
    finally:
        done.set()
    live.close()
    record_status(take, store.RECORDED, seconds=round(live.seconds_kept, 2), end_reason=result.end_reason,
                  recording_ended_at=round(time.time(), 3))
    ended = time.monotonic()
    if result.end_reason == END_WRITE_ERROR:
        term.say(f"Recording stopped: {live.write_error}. Analysing what was captured.", style="red")
    elif result.end_reason == END_INTERRUPT:
        term.say("Stopped; the take is kept and analysed (Ctrl-C again to quit).")
    try:
        outcome = live.finish(question=asked, question_id=question.id, role=opts.role, values=opts.values,
                              story=opts.story, thresholds=opts.thresholds)
    except KeyboardInterrupt:
        term.say(f"Analysis interrupted; the recording is kept in {take} (run `voice-interviewer reanalyze` later).",
                 style="yellow")
        raise
    ready = time.monotonic() - ended
    timing(f"feedback ready {ready:.3f} s after the answer ended")
    analysis = outcome.analysis
    del live
    release_memory()
    failure = None
    if outcome.save_error or result.end_reason == END_WRITE_ERROR:
        failure = _failure_line(session, take, result, outcome)
    if not outcome.heard:
        term.say("Nothing was heard in that take" + (" (no speech within the time allowed)."
                 if result.end_reason == END_NO_SPEECH else "."), style="yellow")
    elif show_feedback or failure:
        show(analysis, term, asked)
        summary = (analysis.get("content") or {}).get("spoken_summary")
        if summary and not failure:
            speak(opts, summary, term)
    return TakeResult(take, analysis, result.end_reason, ready, outcome.heard, failure)


def _failure_line(session: store.Session, take: Path, result, outcome) -> str:
    """One line: what went wrong on disk, what was kept, and how to finish the take later."""
    a = outcome.analysis
    parts = []
    if result.end_reason == END_WRITE_ERROR:
        kept = next((w for w in a.get("warnings") or [] if "recording stopped" in w), "recording stopped")
        parts.append(kept)
    if outcome.save_error:
        parts.append(f"the analysis shown above was not saved ({outcome.save_error}); run "
                     f"`voice-interviewer reanalyze {session.name}/{take.name[:2]}` once there is room")
    else:
        parts.append(f"the analysis of what was captured is saved in {take}")
    return "; ".join(parts)


def release_memory() -> None:
    """Between takes: hand freed memory back to the system. Each take's audio buffers and worker thread
    are freed, but glibc keeps freed blocks in per-thread arenas, so a long session would creep upward."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def show(analysis: dict, term: Terminal, title: str) -> None:
    feedback.print_summary(analysis, term.console, title=title)
    story = analysis.get("story")
    if story:
        from voice_interviewer.stories import print_story_feedback

        print_story_feedback(story, term.console)


def run_session(opts: Options) -> int:
    term = Terminal()
    store.check_writable(opts.root, opts.thresholds.min_free_disk_mb)
    loader = EngineLoader(opts.engine, opts.model, opts.beam_size)
    if opts.speak:
        interviewer_voice(term, opts.voice, opts.rate)
    session = store.Session.create(opts.root, settings=opts.settings)
    term.say(f"Session {session.name}: {len(opts.questions)} question(s). Recordings in {session.path}")
    results: list[TakeResult] = []
    for n, question in enumerate(opts.questions, 1):
        if opts.video_mode:
            results.append(_video_question(opts, session, loader, question, term, n))
            _stop_on_failure(session, results, term)
            continue
        attempt = run_take(opts, session, loader, question, term)
        results.append(attempt)
        while True:
            _stop_on_failure(session, results, term)
            last_of_all = n == len(opts.questions)
            follow = follow_up_question(opts.bank, question, attempt.analysis if attempt.heard else None)
            prefetch(opts, ([follow] if follow and attempt.heard else []) + [q.text for q in opts.questions[n:n + 1]])
            choices = {"r": "retry", "f": "follow-up", "n": "next" if not last_of_all else "finish", "q": "quit"}
            if not follow or not attempt.heard:
                choices.pop("f")
            # after an empty take Enter retries; with no one at the keyboard the session goes on
            retry_first = not attempt.heard and term.interactive
            pick = term.choose("Try again?" if retry_first else "What next?", choices, default="r" if retry_first else "n")
            if pick == "r":
                attempt = run_take(opts, session, loader, question, term)
                results.append(attempt)
            elif pick == "f" and follow:
                attempt = run_take(opts, session, loader, question, term, text=follow, follow_up_of=attempt.take.name)
                results.append(attempt)
            elif pick == "q":
                _finish(session, results, term)
                return 0
            else:
                break
    _finish(session, results, term, summary=opts.video_mode)
    return 0


def follow_up_question(bank: Bank, question: Question, analysis: dict | None) -> str | None:
    """The follow-up to ask after an answer: for what it left out, else the question's own first one."""
    return bank.follow_up_for(_follow_up_need(analysis)) or (question.follow_ups[0] if question.follow_ups else None)


def _stop_on_failure(session: store.Session, results: list[TakeResult], term: Terminal) -> None:
    """A take the disk could not hold ends the session: one line says what happened and what was kept."""
    if results and results[-1].failure:
        _finish(session, results, term)
        raise UserError(results[-1].failure, 1)


def _follow_up_need(analysis: dict | None) -> str | None:
    try:
        from voice_interviewer.content import follow_up_need
    except ImportError:
        return None
    return follow_up_need((analysis or {}).get("content"))


def _video_question(opts, session, loader, question, term, n) -> TakeResult:
    """One-way video interview rehearsal: fixed preparation, a hard limit, limited retakes, no feedback yet."""
    term.say(f"\n[bold]Question {n} of {len(opts.questions)}[/bold]")
    attempt = run_take(opts, session, loader, question, term, show_feedback=False)
    retakes = opts.retakes
    while retakes > 0 and term.interactive and not attempt.failure:
        pick = term.choose(f"Retake? ({retakes} left)", {"r": "retake", "k": "keep"}, default="k")
        if pick != "r":
            break
        retakes -= 1
        attempt = run_take(opts, session, loader, question, term, show_feedback=False)
    return attempt


def _finish(session: store.Session, results: list[TakeResult], term: Terminal, summary: bool = False) -> None:
    meta = session.meta()
    meta["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    try:
        session.write_meta(meta)
    except OSError:
        pass  # a full disk: the session's takes are on disk already, only its end time is not
    if summary and results:
        from rich.table import Table

        table = Table(title="Your answers", title_justify="left")
        for col in ("#", "question", "length", "wpm", "fillers/min", "grade"):
            table.add_column(col)
        for i, r in enumerate(results, 1):
            a = r.analysis or {}
            d = a.get("delivery") or {}
            c = a.get("content") or {}
            table.add_row(str(i), (a.get("question") or "")[:50], f"{(d.get('length') or {}).get('seconds', 0):.0f} s",
                          f"{d.get('wpm', 0):.0f}", f"{(d.get('fillers') or {}).get('per_minute', 0):.1f}",
                          c.get("grade", "-"))
        term.console.print(table)
        for r in results:
            if r.analysis:
                show(r.analysis, term, r.analysis.get("question") or "")
    term.say(f"Saved {len(results)} take(s) in {session.path}")


def resolve_devices(input_device, output_device, speak_enabled: bool) -> tuple[int | None, int | None]:
    """Both devices checked before anything is recorded (a one-line error and exit 2 otherwise)."""
    inp = resolve_device(input_device, "input")
    out = None
    if output_device is not None:
        out = resolve_device(output_device, "output")
    return inp, out

