"""The practice room's state on the server: the questions, the model (loaded in the background), the
session the browser's takes are saved in, the interviewer's voice, and each take as the pages show it.

Everything here calls the library the terminal loop uses: takes are saved by `store`, analysed by the same
live path (`answer.LiveAnswer`), and shown from the same feedback pieces (`feedback.delivery_rows`,
`content.checklist`); history is `history.as_json`; the report is `report.take_report`.
"""
from __future__ import annotations

import re
import tempfile
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from voice_interviewer import store
from voice_interviewer.config import DEFAULT_THRESHOLDS, Thresholds
from voice_interviewer.errors import UserError
from voice_interviewer.practice import EngineLoader, Options, follow_up_question
from voice_interviewer.takes import Take

VIDEO_FILE = "video.webm"  # complete and seekable: the only video a page is given
VIDEO_RECORDING_FILE = "video.webm.part"  # the camera's stream while it comes in
PRESENCE_FILE = "presence.json"
REPORT_FILE = "report.html"
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")  # a session or take folder name
SPEECH_CACHE_ITEMS = 32

# presence states
PRESENCE_NONE = "none"  # no video: an audio-only take
PRESENCE_PENDING = "pending"
PRESENCE_READY = "ready"
PRESENCE_FAILED = "failed"


def media_url(take_id: str, name: str) -> str:
    """Where a page loads one of a take's media files (served by `Room.media_path`)."""
    return f"/media/{take_id}/{name}"


class NotFound(Exception):
    pass


class Room:
    def __init__(self, opts: Options):
        self.opts = opts
        self.loader = EngineLoader(opts.engine, opts.model, opts.beam_size)
        self._session: store.Session | None = None
        self._lock = threading.Lock()
        self._speech: OrderedDict[str, bytes] = OrderedDict()
        self._speech_lock = threading.Lock()
        self._presence_jobs: dict[Path, Future] = {}
        self.recording: set[Path] = set()  # takes whose answer is still coming in
        self._video_lock = threading.Lock()
        self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="room-background",
                                              initializer=background_priority)

    @property
    def root(self) -> Path:
        return self.opts.root

    def close(self) -> None:
        self._background.shutdown(wait=True, cancel_futures=False)
        if self._session is not None:
            import time

            meta = self._session.meta()
            meta["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
            self._session.write_meta(meta)

    # --- the questions and the voice --------------------------------------------------------------------
    def state(self) -> dict:
        o = self.opts
        return {"questions": [{"id": q.id, "text": q.text, "tip": q.tip if o.show_tips else ""} for q in o.questions],
                "prep_s": o.prep, "max_s": o.max_seconds, "speak": o.speak, "role": o.role,
                "story": (o.story or {}).get("name")}

    def question(self, index: int):
        if not 0 <= index < len(self.opts.questions):
            raise NotFound(f"no question {index}")
        return self.opts.questions[index]

    def speech_wav(self, text: str) -> bytes | None:
        """The interviewer's voice saying `text`, as WAV bytes (None when speaking is off or fails).
        The same voice and rate as the terminal loop; kept for repeats."""
        if not self.opts.speak or not text:
            return None
        from voice_interviewer.speech import SpeechError, speak_to_file

        with self._speech_lock:  # one at a time: the text-to-speech engine is not thread-safe
            if text in self._speech:
                self._speech.move_to_end(text)
                return self._speech[text]
            try:
                with tempfile.TemporaryDirectory(prefix="vi-web-tts-") as tmp:
                    wav = speak_to_file(text, Path(tmp) / "say.wav", self.opts.voice, self.opts.rate)
                    data = wav.read_bytes()
            except SpeechError:
                return None
            self._speech[text] = data
            while len(self._speech) > SPEECH_CACHE_ITEMS:
                self._speech.popitem(last=False)
        return data

    # --- takes ----------------------------------------------------------------------------------------------
    def start_answer(self, question, text: str, follow_up_of: str | None):
        """A new take in this launch's session, with its live answer (answer.wav written as audio arrives,
        transcribed while the person speaks), exactly as the terminal loop makes one."""
        from voice_interviewer.answer import LiveAnswer
        from voice_interviewer.practice import spoken_voice

        store.check_writable(self.root, self.opts.thresholds.min_free_disk_mb)
        take = self.session().new_take(question.id, text, follow_up_of, voice=spoken_voice(self.opts))
        try:
            engine = self.loader.get()  # loaded in the background since the server started
        except BaseException:
            self.session().discard_take(take)
            raise
        return take, LiveAnswer(take, engine)

    def finish_answer(self, take: Path, live, question, text: str, end_reason: str):
        """Analyse and save the take as the terminal loop does; None (and no take left behind) when no audio
        arrived at all."""
        import time

        from voice_interviewer.answer import record_status

        if live.seconds_heard == 0:
            live.abandon()
            self.session().discard_take(take)
            return None
        live.close()
        record_status(take, store.RECORDED, seconds=round(live.seconds_kept, 2), end_reason=end_reason,
                      recording_ended_at=round(time.time(), 3))
        o = self.opts
        return live.finish(question=text, question_id=question.id, role=o.role, values=o.values, story=o.story,
                           thresholds=o.thresholds)

    def session(self) -> store.Session:
        """This launch's session, made when the first take starts (no empty session folders)."""
        with self._lock:
            if self._session is None:
                store.check_writable(self.root)
                self._session = store.Session.create(self.root, settings={**self.opts.settings, "web": True})
            return self._session

    def find(self, session: str, take: str) -> Take:
        if not (NAME_RE.match(session) and NAME_RE.match(take)):
            raise NotFound("no such take")
        path = self.root / session / take
        if not (path / store.TAKE_FILE).is_file():
            raise NotFound("no such take")
        return Take(path, store.take_meta(path))

    def take_id(self, take: Path) -> str:
        return f"{take.parent.name}/{take.name}"

    def view(self, take: Take) -> dict:
        """A take as the feedback panel shows it (the same rows and checklist as the terminal)."""
        from voice_interviewer.content import checklist
        from voice_interviewer.feedback import delivery_rows

        a = take.analysis()
        content = a.get("content") or {}
        delivery = a.get("delivery") or {}
        words = [{"word": w["word"], "start": w["start"], "end": w["end"], "filler": bool(w.get("filler"))}
                 for w in (a.get("transcript") or {}).get("words") or []]
        tid = self.take_id(take.path)
        video, video_pending = self.video_state(take.path)
        return {
            "take": tid, "question": a.get("question") or take.meta.get("question"),
            "question_id": a.get("question_id") or take.meta.get("question_id"),
            "follow_up_of": take.meta.get("follow_up_of"), "created_at": a.get("created_at"),
            "duration_s": a.get("duration_s"), "warnings": a.get("warnings") or [],
            "grade": content.get("grade"),
            "delivery": [list(r) for r in delivery_rows(a)],
            "checklist": [list(r) for r in checklist(content)] if content else [],
            "tips": content.get("tips") or [],
            "spoken_summary": content.get("spoken_summary"),
            "story": a.get("story"),
            "words": words,
            "pauses": (delivery.get("pauses") or {}).get("items") or [],
            "fillers": {k: (delivery.get("fillers") or {}).get(k) for k in ("total", "per_minute", "by_word")},
            "text": (a.get("transcript") or {}).get("text") or "",
            "media": {"video": media_url(tid, VIDEO_FILE) if video else None, "video_pending": video_pending,
                      "audio": media_url(tid, "answer.wav") if (take.path / "answer.wav").is_file() else None},
            "report": f"/takes/{tid}/report",
            "follow_up": self.follow_up(a) if words else None,  # an empty take is retried, not followed up
            "presence": self.presence(take),
        }

    def follow_up(self, analysis: dict) -> str | None:
        qid = analysis.get("question_id")
        question = next((q for q in self.opts.bank.questions if q.id == qid), None)
        if question is None:
            return None
        return follow_up_question(self.opts.bank, question, analysis)

    def media_path(self, take: Take, name: str) -> Path:
        if name not in ("answer.wav", VIDEO_FILE):
            raise NotFound("no such file")
        p = take.path / name
        if not p.is_file():
            raise NotFound("no such file")
        return p

    def report_path(self, take: Take) -> Path:
        """The take's report.html, written (again) when missing or older than its analysis."""
        from voice_interviewer.report import take_report

        out = take.path / REPORT_FILE
        analysis = take.path / store.ANALYSIS_FILE
        if not out.is_file() or (analysis.is_file() and analysis.stat().st_mtime > out.stat().st_mtime):
            take.analysis()  # a missing or damaged analysis is a UserError, said to the page
            take_report(take)
        return out

    def history(self) -> dict:
        from voice_interviewer.history import as_json, rows

        return as_json(rows(self.root))

    # --- presence: measured from the video once it is complete, in the background ----------------------
    def presence(self, take: Take) -> dict:
        """{"state": none|pending|ready|failed, ...figures}. Starts the measurement when it is due."""
        saved = take.path / PRESENCE_FILE
        if saved.is_file():
            try:
                return {"state": PRESENCE_READY, **store.read_json(saved)}
            except (ValueError, OSError):
                pass
        video, video_pending = self.video_state(take.path)
        if video_pending or not video:
            return {"state": PRESENCE_PENDING if video_pending else PRESENCE_NONE}
        job = self.measure_presence(take.path)
        if job.done() and job.exception() is not None:
            return {"state": PRESENCE_FAILED, "error": str(job.exception())}
        return {"state": PRESENCE_PENDING}

    def video_state(self, take: Path) -> tuple[bool, bool]:
        """(complete video, video still coming in). A recording left by a room that stopped mid-answer is
        finished here, the first time its take is looked at."""
        from voice_interviewer.web.video import finish_video

        recording = take / VIDEO_RECORDING_FILE
        if take in self.recording:
            return False, recording.is_file()
        with self._video_lock:
            if recording.is_file():
                finish_video(recording, take / VIDEO_FILE)
        return (take / VIDEO_FILE).is_file(), False

    def measure_presence(self, take: Path) -> Future:
        with self._lock:
            job = self._presence_jobs.get(take)
            if job is None:  # once per take and launch: a video that failed is not decoded again and again
                job = self._background.submit(save_presence, take, None, self.opts.thresholds)
                self._presence_jobs[take] = job
            return job

    def write_report_later(self, take: Path) -> None:
        """report.html after the feedback is on screen (matplotlib takes a moment)."""
        self._background.submit(_quiet(self.report_path), Take(take, store.take_meta(take)))


BACKGROUND_NICE = 10


def background_priority() -> None:
    """Lower the calling thread's priority (Linux: nice is per thread, and threads it starts inherit it):
    the presence measure and the report give way to the transcriber, whose speed the person waits for."""
    import os

    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
    except (AttributeError, OSError):
        pass


def save_presence(take: Path, looks=None, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """Presence of the take's video (from frames already looked at, or by decoding the file); saved as
    presence.json and as "presence" in analysis.json."""
    from voice_interviewer.presence import analyze_video, summarise

    analysis_path = take / store.ANALYSIS_FILE
    analysis = None
    if analysis_path.is_file():
        try:
            analysis = store.read_json(analysis_path)
        except (ValueError, OSError):
            analysis = None
    seconds = (analysis or {}).get("duration_s")
    measured = summarise(looks, seconds, thresholds) if looks is not None else analyze_video(take / VIDEO_FILE, seconds, thresholds)
    result = measured.to_dict()
    store.atomic_write_json(take / PRESENCE_FILE, result)
    if analysis is not None:
        analysis["presence"] = result
        store.atomic_write_json(analysis_path, analysis)
    return result


def _quiet(fn):
    def run(*args):
        try:
            fn(*args)
        except (UserError, OSError):
            pass
    return run

