"""Finding saved takes: by folder path, by `SESSION/NN`, or the latest; and reading them safely."""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from voice_interviewer import store
from voice_interviewer.errors import UserError


@dataclass
class Take:
    path: Path
    meta: dict

    @property
    def session(self) -> str:
        return self.path.parent.name

    @property
    def name(self) -> str:
        return f"{self.session}/{self.path.name}"

    def analysis(self) -> dict:
        """The take's analysis.json; a missing or damaged one is a one-line error offering to reanalyse."""
        p = self.path / store.ANALYSIS_FILE
        hint = f"run `voice-interviewer reanalyze {self.name}` to analyse the recording again"
        if not p.is_file():
            raise UserError(f"{self.name}: no analysis.json; {hint}")
        try:
            doc = json.loads(p.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError, OSError):
            raise UserError(f"{self.name}: analysis.json is damaged; {hint}") from None
        if not isinstance(doc, dict) or "schema_version" not in doc or "transcript" not in doc:
            raise UserError(f"{self.name}: analysis.json is not a voice-interviewer analysis; {hint}")
        return doc


def all_takes(root: Path) -> list[Take]:
    """Every take folder under the recordings directory, oldest first (names sort by time)."""
    if not root.is_dir():
        return []
    out = []
    for session in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != "stories"):
        for take in sorted(p for p in session.iterdir() if p.is_dir() and re.match(r"^\d\d-", p.name)):
            out.append(Take(take, store.take_meta(take)))
    return out


def sessions(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / store.SESSION_FILE).is_file()) if root.is_dir() else []


def find_take(root: Path, spec: str | None) -> Take:
    """`spec`: a take folder path, `SESSION/NN` (or `SESSION/NN-question`), or None for the latest take."""
    takes = all_takes(root)
    if spec in (None, "", "latest"):
        if not takes:
            raise UserError(f"no takes yet in {root}; record one with `voice-interviewer` or `analyze --save`")
        return takes[-1]
    p = Path(spec).expanduser()
    if p.is_dir() and (p / store.TAKE_FILE).is_file():
        return Take(p.resolve(), store.take_meta(p))
    m = re.match(r"^([^/]+)/(\d{1,2})(?:-.*)?$", spec.strip("/"))
    if m:
        sess, num = m.group(1), int(m.group(2))
        for t in takes:
            if t.session == sess and t.path.name.startswith(f"{num:02d}-"):
                return t
    names = [t.name for t in takes]
    near = difflib.get_close_matches(spec, names, n=3, cutoff=0.3)
    hint = f"; nearest: {', '.join(near)}" if near else (f"; takes look like {names[-1]}" if names else "; there are no takes yet")
    raise UserError(f"no take {spec!r} in {root}{hint}")


def find_session(root: Path, spec: str) -> Path | None:
    p = Path(spec).expanduser()
    if p.is_dir() and (p / store.SESSION_FILE).is_file():
        return p
    q = root / spec.strip("/")
    if q.is_dir() and (q / store.SESSION_FILE).is_file():
        return q
    return None
