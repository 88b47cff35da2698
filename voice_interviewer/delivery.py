"""Delivery metrics: pure functions of a word list and the samples. Definitions follow NORMS.md."""
from __future__ import annotations

import math
from collections import Counter
from typing import Sequence

import numpy as np

from voice_interviewer.config import (
    DEFAULT_THRESHOLDS, SAMPLE_RATE, Thresholds, filler_band, length_band, pace_band,
)
from voice_interviewer.fillers import filler_items
from voice_interviewer.textnorm import spoken_length
from voice_interviewer.vad import EDGE_TRIM_MAX_S, audible_regions
from voice_interviewer.records import (
    Delivery, Fillers, Length, PaceWindow, Pause, Pauses, Pitch, Readability, Volume, Word,
)

SENTENCE_END = (".", "?", "!")
CLAUSE_END = (".", "?", "!", ",", ";", ":")


def _finite(x: float, default: float = 0.0) -> float:
    return float(x) if x is not None and math.isfinite(x) else default


def clean_words(words: Sequence[Word]) -> list[Word]:
    """Words with usable times (finite, end >= start), in time order."""
    ok = [w for w in words if math.isfinite(w.start) and math.isfinite(w.end)]
    fixed = [w if w.end >= w.start else Word(w.word, w.start, w.start, w.probability, w.filler, w.source) for w in ok]
    return sorted(fixed, key=lambda w: (w.start, w.end))


def speaking_span(words: Sequence[Word]) -> tuple[float | None, float | None]:
    words = clean_words(words)
    if not words:
        return None, None
    return words[0].start, max(w.end for w in words)


def words_said(words: Sequence[Word]) -> int:
    """How many words were said: a number written in digits counts as the words it takes to say ("$250" is 5)."""
    return sum(spoken_length(w.word) for w in words)


def wpm(word_count: int, seconds: float) -> float:
    return 60.0 * word_count / seconds if seconds > 0 else 0.0


def find_pauses(words: Sequence[Word], min_s: float = DEFAULT_THRESHOLDS.pause_min_s,
                speech: Sequence | None = None) -> list[Pause]:
    """Silences of at least `min_s` between consecutive words (inside the speaking span).

    `speech` (intervals with .start/.end, e.g. the VAD's regions): when given, only the part of a gap
    where no speech was heard is silence. A word the model missed or timed late leaves a gap between
    words that the speaker filled; that is not a pause. Word edges may lie up to EDGE_TRIM_MAX_S inside the
    silence (they were snapped to the VAD's padded edges), so the gap is looked at that much wider."""
    words = clean_words(words)
    pauses = []
    widen = EDGE_TRIM_MAX_S if speech is not None else 0.0
    latest_end = words[0].end if words else 0.0
    for prev, cur in zip(words, words[1:]):
        latest_end = max(latest_end, prev.end)
        if cur.start - latest_end + 2 * widen < min_s:
            continue
        mid = not prev.word.rstrip().endswith(CLAUSE_END)
        for a, b in silent_parts(latest_end - widen, cur.start + widen, speech):
            if b - a >= min_s:
                pauses.append(Pause(round(a, 3), round(b, 3), round(b - a, 3), mid))
    return pauses


def silent_parts(start: float, end: float, speech: Sequence | None) -> list[tuple[float, float]]:
    """[start, end] less every speech interval that overlaps it."""
    if speech is None:
        return [(start, end)]
    parts, t = [], start
    for r in sorted(speech, key=lambda r: r.start):
        if r.end <= t or r.start >= end:
            continue
        if r.start > t:
            parts.append((t, r.start))
        t = max(t, r.end)
    if t < end:
        parts.append((t, end))
    return parts


def articulation_wpm(words: Sequence[Word], min_pause_s: float = DEFAULT_THRESHOLDS.articulation_pause_s,
                     speech: Sequence | None = None) -> float:
    """Words per minute of time actually speaking: the span less every silence of `min_pause_s` or more."""
    words = clean_words(words)
    start, end = speaking_span(words)
    if start is None:
        return 0.0
    silent = sum(p.duration_s for p in find_pauses(words, min_pause_s, speech))
    return wpm(words_said(words), (end - start) - silent)


def pace_windows(words: Sequence[Word], window_s: float = DEFAULT_THRESHOLDS.pace_window_s) -> list[PaceWindow]:
    """WPM in consecutive windows from the first word; a word counts in the window holding its middle."""
    words = clean_words(words)
    start, end = speaking_span(words)
    if start is None or end <= start:
        return []
    n = max(1, math.ceil((end - start) / window_s))
    counts = [0] * n
    for w in words:
        k = min(n - 1, max(0, int(((w.start + w.end) / 2 - start) // window_s)))
        counts[k] += spoken_length(w.word)
    out = []
    for k, c in enumerate(counts):
        w0 = start + k * window_s
        w1 = min(end, w0 + window_s)
        out.append(PaceWindow(round(w0, 3), round(w1, 3), round(wpm(c, w1 - w0), 1)))
    return out


def filler_stats(words: Sequence[Word]) -> Fillers:
    words = clean_words(words)
    items = filler_items(words)
    start, end = speaking_span(words)
    minutes = (end - start) / 60 if start is not None and end > start else 0.0
    n = len(items)
    filler_words = sum(1 for w in words if w.filler)
    return Fillers(
        total=n,
        per_minute=round(n / minutes, 2) if minutes > 0 else 0.0,
        percent=round(100.0 * filler_words / words_said(words), 2) if words else 0.0,
        by_word=dict(Counter(i.word for i in items)),
        items=items,
    )


def volume(samples: np.ndarray, words: Sequence[Word], t: Thresholds = DEFAULT_THRESHOLDS) -> Volume:
    """Mean level over the words, and how much quieter the last word of each sentence is."""
    words = clean_words(words)
    if samples.size == 0 or not words:
        return Volume(None, None, False)

    def level(a: float, b: float) -> float | None:
        seg = samples[max(0, int(a * SAMPLE_RATE)) : max(0, int(b * SAMPLE_RATE))]
        if seg.size < SAMPLE_RATE // 50:
            return None
        return 20 * math.log10(max(float(np.sqrt(np.mean(np.square(seg, dtype=np.float64)))), 1e-6))

    levels = [lv for w in words if (lv := level(w.start, w.end)) is not None]
    if not levels:
        return Volume(None, None, False)
    mean = float(np.mean(levels))
    ends = [lv for w in words if w.word.endswith(SENTENCE_END) and (lv := level(w.start, w.end)) is not None]
    drop = round(mean - float(np.mean(ends)), 1) if ends else None
    return Volume(round(mean, 1), drop, bool(drop is not None and drop >= t.trailing_off_db))


def pitch(samples: np.ndarray, t: Thresholds = DEFAULT_THRESHOLDS) -> Pitch:
    """Median F0 and its spread in semitones, from Praat's pitch tracker (parselmouth)."""
    if samples.size < SAMPLE_RATE // 2:
        return Pitch(None, None, None)
    import parselmouth

    snd = parselmouth.Sound(np.asarray(samples, dtype=np.float64), sampling_frequency=SAMPLE_RATE)
    f0 = snd.to_pitch(time_step=0.01, pitch_floor=75.0, pitch_ceiling=500.0).selected_array["frequency"]
    f0 = f0[f0 > 0]
    if f0.size < 10:
        return Pitch(None, None, None)
    median = float(np.median(f0))
    semitones = 12 * np.log2(f0 / median)
    sd = float(np.std(semitones))
    return Pitch(round(median, 1), round(sd, 2), sd < t.monotone_semitones)


def readability(text: str) -> Readability:
    if len(text.split()) < 3:
        return Readability(None, None)
    import textstat

    return Readability(round(float(textstat.flesch_reading_ease(text)), 1), round(float(textstat.flesch_kincaid_grade(text)), 1))


def measure(
    words: Sequence[Word], samples: np.ndarray, clean_text: str, t: Thresholds = DEFAULT_THRESHOLDS,
    speech: Sequence | None = None,
) -> Delivery:
    """All delivery metrics for one answer. `speech`: where speech was heard (see `find_pauses`)."""
    words = clean_words(words)
    if speech is not None:
        speech = audible_regions(samples, speech)
    start, end = speaking_span(words)
    span = (end - start) if start is not None else 0.0
    said = words_said(words)
    rate = round(wpm(said, span), 1)
    pauses = find_pauses(words, t.pause_min_s, speech)
    fillers = filler_stats(words)
    return Delivery(
        speech_start_s=round(start, 3) if start is not None else None,
        speech_end_s=round(end, 3) if end is not None else None,
        word_count=said,
        wpm=rate,
        articulation_wpm=round(articulation_wpm(words, t.articulation_pause_s, speech), 1),
        pace_band=pace_band(rate, t) if words else "none",
        pace_windows=pace_windows(words, t.pace_window_s),
        fillers=fillers,
        filler_band=filler_band(fillers.percent, t),
        pauses=Pauses(len(pauses), max((p.duration_s for p in pauses), default=0.0), pauses),
        time_to_first_word_s=round(start, 3) if start is not None else None,
        length=Length(round(span, 2), length_band(span, t)),
        volume=volume(samples, words, t),
        pitch=pitch(samples, t),
        readability=readability(clean_text),
    )
