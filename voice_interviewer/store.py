"""Saved takes on disk. Private by default: folders 0700, files 0600; JSON and Markdown written atomically.

Layout (names sort by time):
    <recordings>/<session>/session.json
    <recordings>/<session>/<NN>-<question-id>/answer.wav|answer.<ext>, take.json, transcript.json,
                                              analysis.json, feedback.md
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voice_interviewer import __version__
from voice_interviewer.errors import UserError

DIR_MODE = 0o700
FILE_MODE = 0o600
AUDIO_STEM = "answer"
SESSION_FILE = "session.json"
TAKE_FILE = "take.json"
ANALYSIS_FILE = "analysis.json"
TRANSCRIPT_FILE = "transcript.json"
FEEDBACK_FILE = "feedback.md"

# take.json "status"
RECORDING = "recording"  # audio being written (a crash leaves this)
RECORDED = "recorded"  # audio complete, not analysed yet (or analysis interrupted)
ANALYSED = "analysed"


def ensure_private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    try:
        os.chmod(path, DIR_MODE)
    except OSError:
        pass
    return path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over the target."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, doc: Any) -> None:
    atomic_write_text(path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def read_json(path: Path) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def now_stamp() -> str:
    return _dt.datetime.now().strftime("%Y-%m-%d_%H-%M-%S")


def slug(text: str, limit: int = 40) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return (s[:limit].rstrip("-")) or "take"


def check_writable(root: Path, need_mb: float = 50.0) -> None:
    """Before recording: the recordings folder can be created and written, and the disk has room
    (`need_mb`: Thresholds.min_free_disk_mb)."""
    try:
        ensure_private_dir(root)
        fd, probe = tempfile.mkstemp(dir=root, prefix=".probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise UserError(f"{root}: recordings folder is not writable ({exc.strerror or exc})", 2) from None
    free = shutil.disk_usage(root).free
    if free < need_mb * 1024 * 1024:
        raise UserError(f"{root}: only {free // (1024 * 1024)} MB free on the disk; free some space first", 2)


@dataclass
class Session:
    root: Path  # the recordings directory
    path: Path
    # the browser room starts and discards takes from several threads: a take's number is chosen, and
    # session.json read, changed and written, under this lock, so that no number is shared and no update lost
    _meta_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    # the highest number this session has given: a discarded take's number is not given again, so a late
    # clean-up of the discarded take (by its path) never touches the take that would have had its folder
    _last_number: int = field(default=0, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.path.name

    @classmethod
    def create(cls, root: Path, suffix: str = "", settings: dict | None = None) -> "Session":
        ensure_private_dir(root)
        base = now_stamp() + (f"-{suffix}" if suffix else "")
        path, n = root / base, 1
        while path.exists():
            n += 1
            path = root / f"{base}-{n}"
        ensure_private_dir(path)
        s = cls(root, path)
        s.write_meta({"session": path.name, "created_at": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                      "software_version": __version__, "settings": settings or {}, "takes": []})
        return s

    def meta(self) -> dict:
        p = self.path / SESSION_FILE
        return read_json(p) if p.is_file() else {"session": self.name, "takes": []}

    def write_meta(self, doc: dict) -> None:
        atomic_write_json(self.path / SESSION_FILE, doc)

    def new_take(self, question_id: str, question: str | None = None, follow_up_of: str | None = None,
                 voice: dict | None = None) -> Path:
        """A new take folder with its take.json; `voice` is the voice that asked the question
        ({"engine", "name"}; None when it was not spoken)."""
        with self._meta_lock:  # one number per take, even for two questions started at once
            take = self._make_take_dir(question_id)
            write_take_meta(take, {"take": take.name, "session": self.name, "question_id": question_id,
                                   "question": question, "follow_up_of": follow_up_of, "voice": voice,
                                   "status": RECORDING,
                                   "created_at": _dt.datetime.now().astimezone().isoformat(timespec="seconds")})
            meta = self.meta()
            meta.setdefault("takes", []).append({"take": take.name, "question_id": question_id,
                                                  "question": question, "follow_up_of": follow_up_of})
            self.write_meta(meta)
        return take

    def discard_take(self, take: Path) -> None:
        """Remove a take that holds nothing of the user's (its recording never started, or it is a copy of
        a file the user still has that could not be saved whole)."""
        shutil.rmtree(take, ignore_errors=True)
        with self._meta_lock:
            meta = self.meta()
            meta["takes"] = [t for t in meta.get("takes", []) if t.get("take") != take.name]
            try:
                self.write_meta(meta)
            except OSError:
                pass  # a full disk: the list names a folder that is gone, which readers skip

    def _make_take_dir(self, question_id: str) -> Path:
        """A new, empty take folder numbered after the highest one, and after any this session discarded.
        Created exclusively: a folder that is still being removed is never reused, and two takes never share one."""
        numbers = [int(m.group(1)) for p in self.path.iterdir()
                   if p.is_dir() and (m := re.match(r"^(\d+)-", p.name))]
        number = max(numbers + [self._last_number]) + 1
        while True:
            take = self.path / f"{number:02d}-{slug(question_id)}"
            try:
                take.mkdir(mode=DIR_MODE)
            except FileExistsError:
                number += 1
                continue
            ensure_private_dir(take)  # the mode again, past the umask
            self._last_number = number
            return take


def write_take_meta(take: Path, doc: dict) -> None:
    atomic_write_json(take / TAKE_FILE, doc)


def take_meta(take: Path) -> dict:
    p = take / TAKE_FILE
    try:
        return read_json(p) if p.is_file() else {}
    except (json.JSONDecodeError, OSError):
        return {}


def set_status(take: Path, status: str, **extra) -> None:
    meta = take_meta(take)
    meta.update(status=status, **extra)
    write_take_meta(take, meta)


def take_audio(take: Path) -> Path | None:
    """The take's audio file (answer.wav, or answer.<ext> for an imported recording)."""
    for p in sorted(take.glob(f"{AUDIO_STEM}.*")):
        if p.is_file() and not p.name.endswith(".tmp"):
            return p
    return None


def import_audio(take: Path, source: Path) -> Path:
    """Copy a recording made elsewhere into the take (kept as it was, private)."""
    dest = take / f"{AUDIO_STEM}{source.suffix.lower() or '.audio'}"
    shutil.copyfile(source, dest)
    os.chmod(dest, FILE_MODE)
    return dest


def save_analysis(take: Path, analysis: dict, feedback_md: str) -> None:
    """transcript.json, analysis.json and feedback.md for a take, each written atomically."""
    atomic_write_json(take / TRANSCRIPT_FILE, analysis.get("transcript"))
    atomic_write_json(take / ANALYSIS_FILE, analysis)
    atomic_write_text(take / FEEDBACK_FILE, feedback_md)
    set_status(take, ANALYSED)
