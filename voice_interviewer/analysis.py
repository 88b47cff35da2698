"""The pipeline for one answer: samples -> transcript (fillers kept) -> delivery + content -> analysis dict.

`analyze_samples` returns the analysis.json document (schema_version SCHEMA_VERSION); the keys are a
contract that reports, history and other tools read (see README "analysis.json").
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict
from typing import Sequence

import numpy as np

from voice_interviewer import __version__, content as content_mod
from voice_interviewer.config import DEFAULT_THRESHOLDS, SAMPLE_RATE, SCHEMA_VERSION, Thresholds
from voice_interviewer.delivery import measure
from voice_interviewer.fillers import VERBATIM_PROMPT, tag_fillers
from voice_interviewer.records import Transcript, Word
from voice_interviewer.transcribe import Engine, flatten_words

NO_SPEECH = "no speech detected"


def transcribe_words(engine: Engine, samples: np.ndarray) -> tuple[list[Word], list[str]]:
    """Words with fillers kept and tagged, plus warnings."""
    segments = engine.transcribe(samples, initial_prompt=VERBATIM_PROMPT)
    words = tag_fillers(flatten_words(segments))
    return words, []


def build_transcript(words: Sequence[Word], engine: Engine) -> Transcript:
    verbatim = " ".join(w.word for w in words)
    text = clean_text(words)
    return Transcript(text=text, verbatim=verbatim, language="en", model=engine.model_name, engine=engine.name,
                      words=list(words))


def clean_text(words: Sequence[Word]) -> str:
    """The transcript without fillers, punctuation kept where it attached to a removed filler."""
    out: list[str] = []
    for w in words:
        if w.filler:
            tail = w.word[len(w.word.rstrip(".?!")):]
            if tail and out and not out[-1].endswith((".", "?", "!")):
                out[-1] += tail
            continue
        out.append(w.word)
    text = " ".join(out)
    if text:
        text = text[0].upper() + text[1:]
    # a removed filler may have left a sentence starting lower case
    return _capitalise_sentences(text)


def _capitalise_sentences(text: str) -> str:
    chars = list(text)
    up = True
    for i, c in enumerate(chars):
        if up and c.isalpha():
            chars[i] = c.upper()
            up = False
        elif c in ".?!":
            up = True
    return "".join(chars)


def analyze_samples(
    samples: np.ndarray,
    engine: Engine,
    *,
    file: str | None = None,
    role: str | None = None,
    values: Sequence[str] | None = None,
    question: str | None = None,
    words: Sequence[Word] | None = None,
    warnings: Sequence[str] = (),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> dict:
    """Analyse one answer. Pass `words` when they were already transcribed (streamed while recording)."""
    samples = np.asarray(samples, dtype=np.float32)
    all_warnings = list(warnings)
    if words is None:
        words, w = transcribe_words(engine, samples)
        all_warnings += w
    words = list(words)
    transcript = build_transcript(words, engine)
    if not words and NO_SPEECH not in all_warnings:
        all_warnings.append(NO_SPEECH)
    delivery = measure(words, samples, transcript.text, thresholds)
    doc = {
        "schema_version": SCHEMA_VERSION,
        "software_version": __version__,
        "created_at": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "file": file,
        "question": question,
        "duration_s": round(samples.size / SAMPLE_RATE, 3),
        "transcript": asdict(transcript),
        "delivery": asdict(delivery),
        "content": analyze_content(transcript.text, words, role=role, values=values, question=question,
                                   thresholds=thresholds) if words else None,
        "warnings": all_warnings,
    }
    return doc


def analyze_content(text: str, words: Sequence[Word] | None = None, *, role=None, values=None, question=None,
                    thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    return content_mod.judge(text, words=words, role=role, values=values, question=question,
                             thresholds=thresholds)


def analyze_text(text: str, *, file: str | None = None, role=None, values=None, question=None,
                 thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """A written answer: the same document with `content` and no `delivery`."""
    text = text.strip()
    return {
        "schema_version": SCHEMA_VERSION,
        "software_version": __version__,
        "created_at": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "file": file,
        "question": question,
        "duration_s": None,
        "transcript": {"text": text, "verbatim": text, "language": "en", "model": None, "engine": None, "words": []},
        "delivery": None,
        "content": analyze_content(text, None, role=role, values=values, question=question, thresholds=thresholds),
        "warnings": [] if text else ["empty answer"],
    }
