"""Content coaching: what the answer says, judged against the advice for failure questions.

(First version: the interface only; the labels are built in the content-coaching issue.)
"""
from __future__ import annotations

from typing import Sequence

from voice_interviewer.config import DEFAULT_THRESHOLDS, Thresholds

LABELS = ("situation", "action", "result", "lesson", "applied", "ownership", "blame", "excuses",
          "fake_failure", "ties_to_role")


def judge(text: str, words: Sequence | None = None, *, role: str | None = None, values: Sequence[str] | None = None,
          question: str | None = None, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """The `content` section of analysis.json for one answer."""
    return {"labels": {k: False for k in LABELS}, "evidence": {}, "grade": "weak", "tips": [],
            "spoken_summary": ""}


def checklist(content: dict) -> list[tuple[str, str, str | None]]:
    """(mark, description, quote) per label for display: "x" done, " " missing, "!" a problem."""
    labels = content.get("labels") or {}
    evidence = content.get("evidence") or {}
    out = []
    for name in LABELS:
        value = bool(labels.get(name))
        bad = name in ("blame", "excuses", "fake_failure")
        mark = ("!" if value else "x") if bad else ("x" if value else " ")
        out.append((mark, name.replace("_", " "), evidence.get(name) if value else None))
    return out
