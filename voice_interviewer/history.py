"""Every saved take as one row, and how each measure moves from take to take."""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass
from pathlib import Path

from voice_interviewer.errors import UserError
from voice_interviewer.takes import all_takes

SPARKS = "▁▂▃▄▅▆▇█"
GRADE_SCORE = {"weak": 0, "adequate": 1, "strong": 2}
# For each metric: is a higher number better (None: closer to the band is better; shown without judging)
METRICS = {"length_s": None, "wpm": None, "fillers_per_min": False, "longest_pause_s": False, "grade_score": True}


@dataclass
class Row:
    take: str
    date: str
    question_id: str | None
    question: str | None
    length_s: float | None
    wpm: float | None
    fillers_per_min: float | None
    longest_pause_s: float | None
    grade: str | None
    grade_score: int | None


def rows(root: Path) -> list[Row]:
    """Oldest first; takes without a readable analysis are left out."""
    out = []
    for t in all_takes(root):
        try:
            a = t.analysis()
        except UserError:
            continue
        d = a.get("delivery") or {}
        c = a.get("content") or {}
        grade = c.get("grade")
        out.append(Row(
            take=t.name, date=(a.get("created_at") or t.meta.get("created_at") or "")[:19],
            question_id=a.get("question_id") or t.meta.get("question_id"), question=a.get("question") or t.meta.get("question"),
            length_s=(d.get("length") or {}).get("seconds"), wpm=d.get("wpm"),
            fillers_per_min=(d.get("fillers") or {}).get("per_minute"), longest_pause_s=(d.get("pauses") or {}).get("longest_s"),
            grade=grade, grade_score=GRADE_SCORE.get(grade),
        ))
    return out


def filter_rows(items: list[Row], question: str | None = None, since: str | None = None, last: int | None = None) -> list[Row]:
    if question:
        items = [r for r in items if r.question_id == question]
    if since:
        try:
            day = _dt.date.fromisoformat(since)
        except ValueError:
            raise UserError(f"--since {since!r}: give a date as YYYY-MM-DD", 2) from None
        items = [r for r in items if r.date[:10] >= day.isoformat()]
    if last is not None:
        items = items[-last:] if last > 0 else []
    return items


def sparkline(values: list[float | None]) -> str:
    vals = [v for v in values if v is not None]
    if not vals:
        return ""
    lo, hi = min(vals), max(vals)
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        elif hi == lo:
            out.append(SPARKS[3])
        else:
            out.append(SPARKS[int((v - lo) / (hi - lo) * (len(SPARKS) - 1))])
    return "".join(out)


def trend(values: list[float | None], higher_is_better: bool | None) -> dict:
    """First vs. latest value, a sparkline and an arrow (↑ better, ↓ worse, → same or no judgement)."""
    vals = [v for v in values if v is not None]
    if len(vals) < 2:
        return {"spark": sparkline(values), "first": vals[0] if vals else None, "latest": vals[-1] if vals else None,
                "arrow": "·"}
    change = vals[-1] - vals[0]
    if abs(change) < 1e-9:
        arrow = "→"
    elif higher_is_better is None:
        arrow = "↗" if change > 0 else "↘"
    else:
        arrow = "↑" if (change > 0) == higher_is_better else "↓"
    return {"spark": sparkline(values), "first": vals[0], "latest": vals[-1], "arrow": arrow}


def trends(items: list[Row]) -> dict:
    """Per metric over all takes, and per question id."""
    out = {"all": {m: trend([getattr(r, m) for r in items], better) for m, better in METRICS.items()}, "by_question": {}}
    for qid in sorted({r.question_id for r in items if r.question_id}):
        sub = [r for r in items if r.question_id == qid]
        if len(sub) > 1:
            out["by_question"][qid] = {m: trend([getattr(r, m) for r in sub], better) for m, better in METRICS.items()}
    return out


def as_json(items: list[Row]) -> dict:
    return {"takes": [asdict(r) for r in reversed(items)], "trends": trends(items)}
