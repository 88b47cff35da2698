"""Exports of a take, one small writer class per format (as the whisper CLI's writers):
srt and vtt (subtitles with word timing, fillers kept), txt (the transcript), json (the analysis), md (the feedback)."""
from __future__ import annotations

import json
from typing import TextIO

from voice_interviewer.feedback import markdown

MAX_CUE_CHARS = 42
MAX_CUE_S = 6.0
CUE_BREAK_PAUSE_S = 1.0


def format_timestamp(seconds: float, decimal: str = ".", always_hours: bool = True) -> str:
    ms = max(0, int(round(seconds * 1000)))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    hours = f"{h:02d}:" if always_hours or h else ""
    return f"{hours}{m:02d}:{s:02d}{decimal}{ms:03d}"


def cues(words: list[dict]) -> list[tuple[float, float, str]]:
    """Words grouped into subtitle cues: a new cue at a sentence end, a long pause, or when a cue is full."""
    out, cur = [], []
    for w in words:
        if cur:
            text = " ".join(x["word"] for x in cur + [w])
            if (len(text) > MAX_CUE_CHARS or w["end"] - cur[0]["start"] > MAX_CUE_S
                    or w["start"] - cur[-1]["end"] >= CUE_BREAK_PAUSE_S):
                out.append(cur)
                cur = []
        cur.append(w)
        if w["word"].endswith((".", "?", "!")):
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return [(c[0]["start"], max(x["end"] for x in c), " ".join(x["word"] for x in c)) for c in out]


class Writer:
    extension = ""

    def write(self, analysis: dict, out: TextIO) -> None:
        raise NotImplementedError


class WriteTXT(Writer):
    extension = "txt"

    def write(self, analysis, out):
        t = analysis.get("transcript") or {}
        out.write((t.get("verbatim") or t.get("text") or "") + "\n")


class WriteSRT(Writer):
    extension = "srt"

    def write(self, analysis, out):
        for i, (a, b, text) in enumerate(cues((analysis.get("transcript") or {}).get("words") or []), 1):
            out.write(f"{i}\n{format_timestamp(a, ',')} --> {format_timestamp(b, ',')}\n{text}\n\n")


class WriteVTT(Writer):
    extension = "vtt"

    def write(self, analysis, out):
        out.write("WEBVTT\n\n")
        for a, b, text in cues((analysis.get("transcript") or {}).get("words") or []):
            out.write(f"{format_timestamp(a)} --> {format_timestamp(b)}\n{text}\n\n")


class WriteJSON(Writer):
    extension = "json"

    def write(self, analysis, out):
        json.dump(analysis, out, indent=2, ensure_ascii=False)
        out.write("\n")


class WriteMD(Writer):
    extension = "md"

    def write(self, analysis, out):
        out.write(markdown(analysis))


WRITERS = {w.extension: w for w in (WriteSRT, WriteVTT, WriteTXT, WriteJSON, WriteMD)}
