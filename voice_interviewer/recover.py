"""Finishing takes a crash or an interruption left behind.

A take whose take.json says "recording" was cut off mid-answer (the program was killed): its WAV header
may lag the data, so it is repaired first. A take that says "recorded" has complete audio that was never
analysed (Ctrl-C during analysis). Both are analysed and saved like any take.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from voice_interviewer import store


@dataclass
class Unfinished:
    take: Path
    status: str
    created_at: str


def find_unfinished(root: Path) -> list[Unfinished]:
    """Cheap: reads take.json files only."""
    out = []
    if not root.is_dir():
        return out
    for meta_path in sorted(root.glob(f"*/*/{store.TAKE_FILE}")):
        meta = store.take_meta(meta_path.parent)
        if meta.get("status") in (store.RECORDING, store.RECORDED):
            out.append(Unfinished(meta_path.parent, meta["status"], meta.get("created_at", "")))
    return out


def recover_take(item: Unfinished, engine, *, role=None, values=None) -> dict | None:
    """Repair (if needed), analyse and save one unfinished take; None when it holds no usable audio."""
    from voice_interviewer.analysis import analyze_samples
    from voice_interviewer.answer import save
    from voice_interviewer.audio import load_audio
    from voice_interviewer.errors import AudioError, UserError
    from voice_interviewer.wavwriter import repair_wav

    audio = store.take_audio(item.take)
    if audio is None:
        store.set_status(item.take, "empty")
        return None
    if item.status == store.RECORDING and audio.suffix == ".wav":
        try:
            repair_wav(audio)
        except (ValueError, OSError):
            pass
    try:
        samples = load_audio(audio)
    except AudioError:
        store.set_status(item.take, "empty")
        return None
    meta = store.take_meta(item.take)
    analysis = analyze_samples(samples, engine, file=str(audio), question=meta.get("question"), role=role, values=values)
    analysis["question_id"] = meta.get("question_id")
    analysis["recovered"] = True
    error = save(item.take, analysis)
    if error:
        raise UserError(f"{item.take}: {error}: the take was not recovered yet (its recording is kept; "
                        "run `voice-interviewer recover` once there is room)")
    return analysis


def recover_unfinished(root: Path, *, announce: bool = True, engine=None, out=None) -> int:
    """Recover every unfinished take under `root`; returns how many were recovered."""
    items = find_unfinished(root)
    if not items:
        return 0
    out = out or sys.stderr
    if engine is None:
        from voice_interviewer.transcribe import load_engine

        engine = load_engine()
    n = 0
    for item in items:
        if recover_take(item, engine) is not None:
            n += 1
            if announce:
                when = item.created_at.replace("T", " ")[:16] or item.take.parent.name
                print(f"recovered 1 take from {when}: {item.take}", file=out)
    return n
