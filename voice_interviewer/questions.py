"""The question bank: a TOML file under prompts/ (shipped in the wheel), or the person's own file."""
from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from voice_interviewer.errors import UserError

BANK_FILE = "questions.toml"
FOLLOW_UP_KEYS = ("lesson", "applied", "ownership", "blame")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    tip: str = ""
    follow_ups: tuple[str, ...] = ()


@dataclass
class Bank:
    questions: list[Question]
    follow_up: dict[str, str] = field(default_factory=dict)
    source: str = ""

    def get(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        import difflib

        near = difflib.get_close_matches(qid, [q.id for q in self.questions], n=3, cutoff=0.4)
        hint = f"; did you mean {', '.join(near)}?" if near else f"; ids: {', '.join(q.id for q in self.questions)}"
        raise UserError(f"no question with id {qid!r} in {self.source}{hint}", 2)

    def pick(self, count: int, seed: int | None = None) -> list[Question]:
        """`count` questions, no repeats, shuffled by `seed` (a bank smaller than count gives all of it)."""
        order = list(self.questions)
        random.Random(seed).shuffle(order)
        return order[:count]

    def follow_up_for(self, need: str | None) -> str | None:
        return self.follow_up.get(need) if need else None


def load_bank(path: str | Path | None = None) -> Bank:
    """The shipped bank, or the file at `path`. A malformed file is a one-line error with its line number."""
    if path is None:
        text = resources.files("voice_interviewer.prompts").joinpath(BANK_FILE).read_text(encoding="utf-8")
        source = f"the built-in {BANK_FILE}"
    else:
        p = Path(path)
        if not p.is_file():
            raise UserError(f"{p}: no such questions file", 2)
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"{p}: cannot read the questions file ({exc.__class__.__name__})", 2) from None
        source = str(p)
    return parse_bank(text, source)


def parse_bank(text: str, source: str = "questions") -> Bank:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{source}: not valid TOML: {exc}", 2) from None  # the message names line and column
    items = doc.get("question")
    if not isinstance(items, list) or not items:
        raise UserError(f"{source}: no questions (add [[question]] tables with id and text)", 2)
    questions, seen = [], set()
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not isinstance(item.get("text"), str) \
                or not item["id"].strip() or not item["text"].strip():
            raise UserError(f"{source}: question {n} needs a non-empty 'id' and 'text'", 2)
        if item["id"] in seen:
            raise UserError(f"{source}: question id {item['id']!r} appears twice", 2)
        seen.add(item["id"])
        follow = item.get("follow_ups", [])
        if not isinstance(follow, list) or not all(isinstance(f, str) for f in follow):
            raise UserError(f"{source}: question {item['id']!r}: follow_ups must be a list of strings", 2)
        questions.append(Question(item["id"].strip(), item["text"].strip(), str(item.get("tip", "")).strip(), tuple(follow)))
    follow_up = doc.get("follow_up", {})
    if not isinstance(follow_up, dict):
        raise UserError(f"{source}: [follow_up] must be a table", 2)
    defaults = parse_bank_defaults() if source != "defaults" and not follow_up else {}
    return Bank(questions, {**defaults, **{k: str(v) for k, v in follow_up.items()}}, source)


def parse_bank_defaults() -> dict[str, str]:
    """Follow-ups from the shipped bank, for a personal bank that has none."""
    text = resources.files("voice_interviewer.prompts").joinpath(BANK_FILE).read_text(encoding="utf-8")
    return {k: str(v) for k, v in tomllib.loads(text).get("follow_up", {}).items()}
