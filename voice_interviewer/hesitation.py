"""Hesitation vowels ("um", "uh") found in Whisper's own encoder output, whether or not the model writes them.

tiny.en leaves most short "uh"s out of its text, and its word times stretch a neighbouring word over them, so
there is often no gap to look in. The encoder has heard them all the same: small networks (one hidden layer,
three of them, averaged) read each 20 ms encoder frame of a clip, with the frames around it, and say um, uh or
neither. A run of um/uh frames long enough to be a hesitation, that sounds like a vowel (most of its energy
under 1 kHz), not like breath, is one. The encoder pass is the one the clip's reading already made
(`FasterWhisperEngine.encoded` takes it from the engine's cache), so the detector costs about 20 ms a 28 s
window.

The weights (`models/hesitation.npz`) were trained on speech synthesised for it alone (three families of voices:
espeak-ng's, the Piper voice and flite's; fillers as separate pieces, run into the words or cut short, rates,
pitches, rooms and noise):
`python training/train_hesitation.py` rebuilds them. An engine without an encoder to read (openai-whisper)
gets no detections: the transcript's own fillers and `analysis.acoustic_fillers` remain.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from voice_interviewer.config import SAMPLE_RATE
from voice_interviewer.fillers import is_hesitation
from voice_interviewer.transcribe import ENCODER_FRAME_S, MIN_WORD_S

WEIGHTS_FILE = Path(__file__).resolve().parent / "models" / "hesitation.npz"
CLASSES = ("none", "um", "uh")
CONTEXT_FRAMES = (-4, -2, 2, 4)  # the neighbouring frames read beside each frame (offsets)
# A hesitation: a run of frames whose um+uh probability, averaged over SMOOTH_FRAMES, is over ONSET_P, with
# its peak over PEAK_P and its mean over MEAN_P (a held vowel of a word - JFK's drawn-out "ask" - flickers
# between hesitation and not; a hesitation holds), lasting at least MIN_S (issue 15: hesitations of 0.12 s
# and up). Shorter runs are the odd frames of a word or a breath: on the real-speech set, whose speakers read
# without hesitating, the runs found lasted 0.08-0.10 s.
SMOOTH_FRAMES = 3
ONSET_P = 0.5
PEAK_P = 0.7
MEAN_P = 0.8
MIN_S = 0.12
JOIN_S = 0.06  # two runs this close are one hesitation
# A hesitation is a vowel or a hum: most of its sound lies low ("uh"'s first formant and "um"'s hum are under
# 1 kHz). A run with most of its energy above that is breath or noise: it is not added as a hesitation, nor
# taken for the sound of one the model wrote (which then left the real sound beside it to be added as a second
# one). Real speakers draw breath before a sentence, and the networks, which learnt from synthetic voices that
# never breathe, hear some of it as "uh".
VOWEL_BAND_HZ = (80.0, 1000.0)
MIN_VOWEL_BAND_SHARE = 0.5
# A hesitation already in the transcript this near is the same one: the model's own "um" is often timed off
# it, at times as a zero-length word up to a third of a second after it.
ALREADY_WRITTEN_S = 0.5


@dataclass(frozen=True)
class Hesitation:
    word: str  # "um" or "uh"
    start: float  # seconds
    end: float
    p: float  # the run's mean um+uh probability
    vowel_share: float = 1.0  # of its sound's energy, the share in VOWEL_BAND_HZ


@lru_cache(maxsize=2)
def load_weights(path: Path = WEIGHTS_FILE) -> dict[str, np.ndarray]:
    with np.load(path) as z:
        return {k: z[k] for k in z.files}


def frame_features(frames: np.ndarray) -> np.ndarray:
    """Each frame beside the frames CONTEXT_FRAMES away from it (edge frames repeated)."""
    n = frames.shape[0]
    parts = [frames]
    for d in CONTEXT_FRAMES:
        idx = np.clip(np.arange(n) + d, 0, n - 1)
        parts.append(frames[idx])
    return np.concatenate(parts, axis=1)


def frame_probabilities(frames: np.ndarray, weights: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """(frames, 3): probabilities of none / um / uh for each encoder frame (frames, 384), the mean of the
    networks' (the weights hold several, stacked on the first axis)."""
    w = weights or load_weights()
    features = frame_features(frames.astype(np.float32))
    out = np.zeros((frames.shape[0], len(CLASSES)), np.float32)
    for mean, scale, w1, b1, w2, b2 in zip(w["mean"], w["scale"], w["w1"], w["b1"], w["w2"], w["b2"]):
        h = np.maximum(((features - mean) / scale) @ w1 + b1, 0.0)
        logits = h @ w2 + b2
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        out += e / e.sum(axis=1, keepdims=True)
    return out / len(w["w1"])


def runs(probs: np.ndarray, onset_p: float = ONSET_P, peak_p: float = PEAK_P, min_s: float = MIN_S,
         mean_p: float = MEAN_P) -> list[Hesitation]:
    """The hesitations in frame probabilities (times in seconds from the first frame)."""
    if probs.shape[0] == 0:
        return []
    hes = probs[:, 1] + probs[:, 2]
    smooth = np.convolve(hes, np.ones(SMOOTH_FRAMES) / SMOOTH_FRAMES, "same")
    on = smooth > onset_p
    spans: list[list[int]] = []
    k = 0
    while k < on.size:
        if on[k]:
            j = k
            while j < on.size and on[j]:
                j += 1
            if spans and (k - spans[-1][1]) * ENCODER_FRAME_S <= JOIN_S:
                spans[-1][1] = j
            else:
                spans.append([k, j])
            k = j
        else:
            k += 1
    out = []
    for a, b in spans:
        mean = float(hes[a:b].mean())
        if b - a < round(min_s / ENCODER_FRAME_S) or hes[a:b].max() < peak_p or mean < mean_p:
            continue
        word = "um" if probs[a:b, 1].sum() > probs[a:b, 2].sum() else "uh"
        out.append(Hesitation(word, round(a * ENCODER_FRAME_S, 3), round(b * ENCODER_FRAME_S, 3), round(mean, 3)))
    return out


def in_clip(engine, clip: np.ndarray) -> list[Hesitation]:
    """The hesitations in a clip the engine has just read (seconds from the clip's start); none where the engine
    has no encoder output to give."""
    encoded = getattr(engine, "encoded", None)
    frames = encoded(clip) if encoded is not None else None
    if frames is None or frames.shape[0] == 0:
        return []
    def share(h: Hesitation) -> float:
        return round(vowel_band_share(clip[int(h.start * SAMPLE_RATE):int(h.end * SAMPLE_RATE)]), 3)

    return [replace(h, vowel_share=share(h)) for h in runs(frame_probabilities(frames))]


def vowel_band_share(samples: np.ndarray) -> float:
    """The share of the sound's energy (80 Hz up to the Nyquist frequency, 8 kHz) that lies in VOWEL_BAND_HZ; 0 for
    silence."""
    x = np.asarray(samples, dtype=np.float64)
    if x.size < 2:
        return 0.0
    power = np.abs(np.fft.rfft(x * np.hanning(x.size))) ** 2
    hz = np.fft.rfftfreq(x.size, 1 / SAMPLE_RATE)
    total = power[(hz >= VOWEL_BAND_HZ[0]) & (hz < SAMPLE_RATE / 2)].sum()
    low = power[(hz >= VOWEL_BAND_HZ[0]) & (hz < VOWEL_BAND_HZ[1])].sum()
    return float(low / total) if total > 0 else 0.0


def add_hesitations(words: Sequence, found: Sequence[Hesitation], make_word) -> list:
    """`words` (time order) with each found hesitation added as `make_word(h)` where the transcript has no
    hesitation within ALREADY_WRITTEN_S, and with the words beside it trimmed off it so times stay in order
    (pauses and pace read them). A word the model stretched over the hesitation keeps the side of it that
    holds more of its span. A word the model timed wholly over the run is kept too, shrunk to the run's edge:
    tiny.en often lays the word beside a filler over it ("the um, data" with "the" on the um). Leaving such runs
    out, as this once did, lost 13 of the flite set's 97 um/uh and 4 of the neural voice's 91 and spared no
    false one on any set, real speech included. A hesitation the transcript has near the run is that one, and
    takes the run's times where no other word stands between them: the model times its "um" off the sound
    (after it, or as a blink of a held one), which left the held sound looking like speech with no word. (Where
    a word stands between, the run is still the written one more often than not, its times a little off:
    adding it as another cost the espeak and neural-voice sets' um/uh precision 0.95 -> 0.83 / 0.85.) A written one
    names one sound: a second run beside one already timed is another hesitation (real speech's "um, uh"; moved
    to it, the written one left its first sound, a held "um" of 0.8 s, without a word)."""
    words = sorted(words, key=lambda w: w.start)
    timed_by_run: list = []  # each names one sound: another run beside one is another hesitation ("um, uh")
    added: list = []
    for h in sorted(found, key=lambda h: h.start):
        if h.vowel_share < MIN_VOWEL_BAND_SHARE:  # breath or noise: no hesitation, nor the sound of a written one
            continue
        near = [w for w in words if is_hesitation(w.word) and not any(w is t for t in timed_by_run)
                and w.end > h.start - ALREADY_WRITTEN_S and w.start < h.end + ALREADY_WRITTEN_S]
        if near:
            written = min(near, key=lambda w: abs(midpoint(w) - midpoint(h)))
            lo, hi = sorted((midpoint(written), midpoint(h)))
            # left as it is: a word stands between them, or it was added for the run before (a hesitation split
            # in two runs, as a rule). One the alignment gave no time (under MIN_WORD_S) has no place of its own
            # to keep: "Um," at 446.28-446.28 after "and" at 446.18-446.34, where the verbatim reading had
            # "Um, and" and the run is at 445.44-445.98
            between = any(w is not written and lo < midpoint(w) < hi for w in words)
            if between and written.end - written.start >= MIN_WORD_S or any(w is written for w in added):
                continue
            at = next(i for i, w in enumerate(words) if w is written)
            words = words[:at] + words[at + 1:]
            timed = replace(written, start=h.start, end=h.end)
            timed_by_run.append(timed)
        else:
            at = None
            timed = make_word(h)
            added.append(timed)
        words = sorted(trimmed_off(words, h, at) + [timed], key=lambda w: w.start)
    return words


def trimmed_off(words: Sequence, h: Hesitation, at: int | None = None) -> list:
    """`words` with each one that overlaps the hesitation cut to the side of it that holds more of the word. One
    wholly inside it, where the hesitation was written just before `words[at]`, goes to the side where the
    reading has it: the model times a word beside its "um" inside the um's sound ("And um," with "And" at
    246.48-246.58 in a run at 245.82-246.62, which it once followed). A word only partly over the run keeps the
    side that holds more of it: the run may be another hesitation than the written one ("we start, uh," with the
    run at 14.20-14.42 s and "start," at 14.32-14.98)."""
    out = []
    for i, w in enumerate(words):
        if w.end > h.start and w.start < h.end:
            inside = at is not None and w.start >= h.start and w.end <= h.end
            if (i < at) if inside else h.start - w.start >= w.end - h.end:
                w = replace(w, start=min(w.start, h.start), end=h.start)
            else:
                w = replace(w, start=h.end, end=max(w.end, h.end))
        out.append(w)
    return out


def midpoint(w) -> float:
    return (w.start + w.end) / 2
