"""Rebuild the hesitation detector's weights (voice_interviewer/models/hesitation.npz) from speech made for it.

Usage: python training/train_hesitation.py [--clips N] [--flite-clips N] [--short-clips N] [--cache DIR] [--cv]
       [--out FILE]

1. Speech: answers spoken by three families of voices, sentence by sentence: several espeak-ng voices (pitch and
   rate varied), the Piper voice (rate and noise varied) and flite's voices (rate and pitch varied), with
   "um"/"uh" spoken as pieces of their own, some apart from the words and some run into them (no gap), some held
   longer, and in some clips every "uh" cut short; then some clips played through a simulated room, some with
   noise, at levels from loud to soft. The texts are the project's own (training/data: the spoken-form
   development answers, the synthetic answers and the clauses written for the content judge); none is a text of
   an evaluation set (audio_dev speaks answers_dev.jsonl, audio_dev_piper and the flite set the written half of
   answers_dev2).
2. Each clip is read by Whisper's encoder (tiny.en, as the analysis reads a window: padded to 30 s) and each
   20 ms frame labelled um / uh / none from the filler pieces' times.
3. A one-hidden-layer network (scikit-learn) learns the labels from each frame and the frames around it.
`--cv` also trains on each proper subset of the families and tests on every family left out (hesitation and frame
level): the held-out family's figure is the honest one for a voice unlike any the detector learnt from.
Deterministic: same clips (seeded), same weights. Needs scikit-learn (`.[train]`), espeak-ng, the Piper voice and
flite (Debian `flite`: its voices rms, slt, awb, kal16, kal).
"""
from __future__ import annotations

import argparse
import io
import json
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from voice_interviewer import hesitation  # noqa: E402
from voice_interviewer.config import SAMPLE_RATE  # noqa: E402
from voice_interviewer.transcribe import ENCODER_FRAME_S  # noqa: E402

DATA = ROOT / "training" / "data"
ESPEAK_VOICES = ("en-us", "en-us-nyc", "en-029", "en-gb", "en-gb-x-rp", "en-gb-scotland", "en-gb-x-gbclan",
                 "en-gb-x-gbcwmd")
ESPEAK_VARIANTS = ("", "+m1", "+m2", "+m3", "+m4", "+m6", "+m7", "+f1", "+f2", "+f3", "+f4", "+klatt")
# flite's voices and the pitch (Hz, int_f0_target_mean) each is given; rms keeps its own (it ignores the setting)
FLITE_VOICES = {"rms": (90, 130), "slt": (140, 240), "awb": (85, 150), "kal16": (80, 150), "kal": (80, 150)}
FLITE_STRETCH = (0.8, 1.5)  # duration_stretch: 1 is the voice's own rate, more is slower
# Families of voices for cross-validation: train without one, test on it. A clip's voice group names its family.
FAMILIES = ("espeak", "piper", "flite")
# The clips of the espeak-ng/Piper mix are numbered 0..--clips-1 (two in five Piper); flite's, and the clips whose
# fillers are cut short, are numbered apart (seed streams of their own), so adding them changed none of the others.
FLITE_SEED_OFFSET = 50_000
SHORT_SEED_OFFSET = 70_000
# A TTS voice's "uh" is a whole syllable (flite's 0.2-0.5 s); people's are often 0.12-0.2 s (issue 15): in the short
# clips every "uh" is cut to this long (s), faded out ("um" keeps its "m")
SHORT_FILLER_S = (0.12, 0.25)
FILLER_TEXTS = (("uh.", "uh"), ("uh,", "uh"), ("uh", "uh"), ("uhh.", "uh"), ("um.", "um"), ("um,", "um"),
                ("um", "um"), ("umm.", "um"))
# The words a filler is said between and the silences around it (0: run into the words)
GAP_BEFORE_S = (0.0, 0.0, 0.0, 0.03, 0.06, 0.1, 0.15, 0.25)
GAP_AFTER_S = (0.0, 0.0, 0.03, 0.06, 0.12, 0.2, 0.3)
SENTENCE_GAP_S = (0.25, 0.35, 0.5, 0.7, 1.0)
CLIP_S = (10.0, 27.0)  # the analysis reads windows of up to 28 s
MAX_CLIP_S = 29.0
FILLER_SHARE = 0.75  # of the sentences, this share has a filler in it
EDGE_S = 0.02  # frames this near a filler's edge are neither taught nor tested
NEGATIVE_SHARE = 0.25  # of the frames with no hesitation, this share trains (they are 95 % of all frames)
HIDDEN = 64
SEED = 7
# Three networks, each from its own seed (initial weights, the negatives sampled), whose probabilities are
# averaged: one network alone took the drawn-out vowel of JFK's "ask" for an "uh" in some trainings and not others.
ENSEMBLE_SEEDS = (7, 8, 9)


def texts() -> list[str]:
    """Sentences of the project's own texts that no evaluation set speaks."""
    out = []
    for line in (DATA / "answers_dev2.jsonl").read_text().splitlines():
        item = json.loads(line)
        if item.get("form") == "spoken":
            out += re.split(r"(?<=[.!?])\s+", item["text"])
    for line in (DATA / "answers_synthetic.jsonl").read_text().splitlines():
        out += re.split(r"(?<=[.!?])\s+", json.loads(line)["text"])
    for f in sorted(DATA.glob("sentences_*.tsv")):
        out += [line.split("\t", 1)[1] for line in f.read_text().splitlines() if "\t" in line]
    out = [re.sub(r"\s+", " ", s).strip() for s in out]
    return [s for s in out if 3 <= len(s.split()) <= 40]


def trimmed(x: np.ndarray, below_peak_db: float = 40.0) -> np.ndarray:
    n = SAMPLE_RATE // 100
    frames = x[: x.size // n * n].reshape(-1, n).astype(np.float64)
    db = 20 * np.log10(np.sqrt(np.mean(frames ** 2, axis=1)) + 1e-9)
    loud = np.flatnonzero(db > db.max() - below_peak_db)
    return x[loud[0] * n:(loud[-1] + 1) * n] if loud.size else x[:0]


class Espeak:
    def __init__(self, voice: str, wpm: int, pitch: int):
        self.voice, self.wpm, self.pitch = voice, wpm, pitch
        self.group = voice.split("+")[0]

    def say(self, text: str, slower: float = 1.0) -> np.ndarray:
        import soundfile as sf

        r = subprocess.run(["espeak-ng", "-v", self.voice, "-s", str(int(self.wpm / slower)), "-p", str(self.pitch),
                            "--stdout", text], capture_output=True, check=True)
        x, rate = sf.read(io.BytesIO(r.stdout), dtype="float32")
        from voice_interviewer.speech import resample

        return trimmed(resample(x, rate, SAMPLE_RATE))


class Flite:
    def __init__(self, voice: str, stretch: float, f0: float):
        self.voice, self.stretch, self.f0 = voice, stretch, f0
        self.group = "flite-" + voice

    def say(self, text: str, slower: float = 1.0) -> np.ndarray:
        import os
        import tempfile

        import soundfile as sf

        from voice_interviewer.speech import resample

        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "s.wav")
            subprocess.run(["flite", "-voice", self.voice, "--setf", f"duration_stretch={self.stretch * slower:.3f}",
                            "--setf", f"int_f0_target_mean={self.f0:.0f}", "-t", text, "-o", out],
                           capture_output=True, check=True)
            x, rate = sf.read(out, dtype="float32")
        return trimmed(resample(x, rate, SAMPLE_RATE)) if x.size else np.zeros(0, np.float32)


class Piper:
    group = "piper"

    def __init__(self, voice, length: float, noise: float):
        self.voice, self.length, self.noise = voice, length, noise

    def say(self, text: str, slower: float = 1.0) -> np.ndarray:
        from voice_interviewer.speech import resample

        v = self.voice
        base = v.scales.copy()
        v.scales[:] = [base[0] * self.noise, self.length * slower, base[2]]
        try:
            audio = v._make(text)  # one sentence, made afresh (the voice's cache keys on the text alone)
        finally:
            v.scales[:] = base
        return trimmed(resample(audio.samples, audio.rate, SAMPLE_RATE)) if audio else np.zeros(0, np.float32)


def in_a_room(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A reverberant tail (RT60 0.2-0.7 s) after a direct path, as benchmarks/accuracy.py's room."""
    rt60 = rng.uniform(0.2, 0.7)
    n = int(rt60 * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    rir = rng.normal(0, 1, n) * np.exp(-6.9 * t / rt60) * rng.uniform(0.05, 0.2)
    rir[: int(0.004 * SAMPLE_RATE)] = 0.0
    rir[0] = 1.0
    y = np.convolve(x, rir)[: x.size]
    return (y * np.abs(x).max() / (np.abs(y).max() + 1e-9)).astype(np.float32)


def with_noise(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    level = np.sqrt(np.mean(x[np.abs(x) > 0.02] ** 2)) if np.any(np.abs(x) > 0.02) else 0.05
    noise = rng.normal(0, 1, x.size)
    width = int(rng.choice([1, 4, 16]))  # white, a hiss, a low rumble
    noise = np.convolve(noise, np.ones(width) / width, "same")
    noise *= level * 10 ** (-rng.uniform(15, 45) / 20) / (noise.std() + 1e-9)
    return (x + noise).astype(np.float32)


def family_voice(family: str, piper_voice):
    """A picker of a voice of `family`, its settings drawn from the clip's rng."""
    def pick(rng: random.Random):
        if family == "piper":
            return Piper(piper_voice, rng.uniform(0.85, 1.6), rng.uniform(0.6, 1.3))
        if family == "flite":
            name = rng.choice(sorted(FLITE_VOICES))
            return Flite(name, rng.uniform(*FLITE_STRETCH), rng.uniform(*FLITE_VOICES[name]))
        return Espeak(rng.choice(ESPEAK_VOICES) + rng.choice(ESPEAK_VARIANTS), rng.randrange(120, 210),
                      rng.randrange(25, 75))
    return pick


def cut_short(x: np.ndarray, seconds: float) -> np.ndarray:
    """The first `seconds` of a filler, faded out over its last 10 ms: a short "uh" of a person's, not a TTS voice's
    whole syllable."""
    y = x[: int(seconds * SAMPLE_RATE)].copy()
    fade = min(y.size, SAMPLE_RATE // 100)
    y[y.size - fade:] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)
    return y


def make_clip(seed: int, voice_of, pool: list[str], short: bool = False
              ) -> tuple[np.ndarray, list[tuple[float, float, str]], str]:
    """The clip of `seed`: audio, its fillers (start, end, "um"/"uh") and its voice group (`voice_of(rng)` picks the
    voice). `short`: every "uh" cut to SHORT_FILLER_S."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    voice = voice_of(rng)
    target = rng.uniform(*CLIP_S)
    pieces = [np.zeros(int(rng.uniform(0.1, 0.6) * SAMPLE_RATE), np.float32)]
    t = pieces[0].size / SAMPLE_RATE
    fillers = []

    def add(x):
        nonlocal t
        pieces.append(x.astype(np.float32))
        t += x.size / SAMPLE_RATE

    def gap(s):
        if s > 0:
            add(np.zeros(int(s * SAMPLE_RATE), np.float32))

    while t < target - 3.0:
        words = rng.choice(pool).split()
        parts = [words]
        if rng.random() < FILLER_SHARE:
            k = 0 if rng.random() < 0.25 else rng.randrange(1, len(words))
            parts = [words[:k], words[k:]]
        for j, part in enumerate(parts):
            if j == 1:  # the filler between the two parts
                for _ in range(2 if rng.random() < 0.1 else 1):
                    text, kind = rng.choice(FILLER_TEXTS)
                    if t > 0.7 and parts[0]:
                        gap(rng.choice(GAP_BEFORE_S))
                    x = voice.say(text, rng.choice([1.0, 1.0, 1.0, 1.3, 1.7, 2.4]))
                    if short and kind == "uh":
                        x = cut_short(x, rng.uniform(*SHORT_FILLER_S))
                    if x.size < 0.05 * SAMPLE_RATE:
                        continue
                    fillers.append((t, t + x.size / SAMPLE_RATE, kind))
                    add(x)
                    gap(rng.choice(GAP_AFTER_S))
            if part:
                x = voice.say(" ".join(part))
                if x.size:
                    add(x)
        gap(rng.choice(SENTENCE_GAP_S))
    gap(rng.uniform(0.2, 0.8))
    x = np.concatenate(pieces)[: int(MAX_CLIP_S * SAMPLE_RATE)]
    fillers = [f for f in fillers if f[1] <= MAX_CLIP_S]
    if rng.random() < 0.35:
        x = in_a_room(x, nrng)
    x = x / (np.abs(x).max() + 1e-9) * 10 ** (-rng.uniform(0, 25) / 20)
    if rng.random() < 0.5:
        x = with_noise(x, nrng)
    return x.astype(np.float32), fillers, voice.group


def frame_labels(n: int, fillers) -> tuple[np.ndarray, np.ndarray]:
    """Label (0 none, 1 um, 2 uh) and weight (0 near a filler's edge) of each of n encoder frames."""
    centres = (np.arange(n) + 0.5) * ENCODER_FRAME_S
    labels = np.zeros(n, np.int8)
    weights = np.ones(n, np.float32)
    for a, b, kind in fillers:
        labels[(centres >= a) & (centres < b)] = hesitation.CLASSES.index(kind)
        weights[(np.abs(centres - a) < EDGE_S) | (np.abs(centres - b) < EDGE_S)] = 0.0
    return labels, weights


def build(cache: Path, clips: int, flite_clips: int, short_clips: int) -> list[Path]:
    """Make and encode the clips not yet in `cache` (one .npz each: frames, labels, weights, fillers, group): `clips`
    of the espeak-ng/Piper mix, `flite_clips` in flite's voices, `short_clips` of the three families in turn with
    every "uh" cut short."""
    from voice_interviewer.speech import load_voice
    from voice_interviewer.transcribe import load_engine

    cache.mkdir(parents=True, exist_ok=True)
    wanted = [(cache / f"{i:05d}.npz", SEED * 100003 + i, "piper" if i % 5 in (0, 3) else "espeak", False)
              for i in range(clips)]
    wanted += [(cache / f"flite-{i:05d}.npz", SEED * 100003 + FLITE_SEED_OFFSET + i, "flite", False)
               for i in range(flite_clips)]
    wanted += [(cache / f"short-{i:05d}.npz", SEED * 100003 + SHORT_SEED_OFFSET + i, FAMILIES[i % len(FAMILIES)], True)
               for i in range(short_clips)]
    todo = [w for w in wanted if not w[0].exists()]
    if todo:
        import onnxruntime

        # the Piper voice's noise comes from onnxruntime's random ops, seeded when the voice is loaded: clips made
        # in one run from an empty cache are the same every time
        onnxruntime.set_seed(SEED)
        engine, piper, pool = load_engine(), load_voice("joe"), texts()
        t0 = time.perf_counter()
        for n, (path, seed, family, short) in enumerate(todo):
            x, fillers, group = make_clip(seed, family_voice(family, piper), pool, short)
            frames = engine.encoded(x)
            labels, weights = frame_labels(frames.shape[0], fillers)
            np.savez_compressed(path, frames=frames.astype(np.float16), labels=labels,
                                weights=weights, fillers=np.array([(a, b, hesitation.CLASSES.index(k))
                                                                   for a, b, k in fillers]).reshape(-1, 3),
                                group=group, seconds=x.size / SAMPLE_RATE)
            if n % 20 == 0:
                print(f"{path.name} ({n + 1}/{len(todo)}, {time.perf_counter() - t0:.0f} s)", flush=True)
    return [w[0] for w in wanted]


def load(files: list[Path]) -> list[dict]:
    out = []
    for f in files:
        with np.load(f) as z:
            out.append({k: z[k] for k in z.files})
    return out


def family_of(clip: dict) -> str:
    g = str(clip["group"])
    return "piper" if g == "piper" else "flite" if g.startswith("flite-") else "espeak"


def fit(clips: list[dict]) -> dict[str, np.ndarray]:
    """The networks of ENSEMBLE_SEEDS, stacked (hesitation.frame_probabilities averages them)."""
    nets = [fit_one(clips, seed) for seed in ENSEMBLE_SEEDS]
    return {k: np.stack([n[k] for n in nets]) for k in nets[0]}


def fit_one(clips: list[dict], seed: int) -> dict[str, np.ndarray]:
    from sklearn.neural_network import MLPClassifier

    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for c in clips:
        feats = hesitation.frame_features(c["frames"].astype(np.float32))
        keep = (c["weights"] > 0) & ((c["labels"] > 0) | (rng.random(c["labels"].size) < NEGATIVE_SHARE))
        xs.append(feats[keep])
        ys.append(c["labels"][keep])
    x, y = np.concatenate(xs), np.concatenate(ys)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    net = MLPClassifier(hidden_layer_sizes=(HIDDEN,), alpha=1e-3, batch_size=256, learning_rate_init=1e-3,
                        max_iter=30, early_stopping=True, n_iter_no_change=4, random_state=seed)
    net.fit((x - mean) / scale, y)
    return {"mean": mean.astype(np.float32), "scale": scale.astype(np.float32),
            "w1": net.coefs_[0].astype(np.float32), "b1": net.intercepts_[0].astype(np.float32),
            "w2": net.coefs_[1].astype(np.float32), "b2": net.intercepts_[1].astype(np.float32)}


def score(clips: list[dict], weights) -> dict:
    """Hesitation recall / precision (a found run within 0.3 s of a true filler, one each) and frame accuracy."""
    tp = fn = fp = 0
    right = frames = 0
    for c in clips:
        probs = hesitation.frame_probabilities(c["frames"].astype(np.float32), weights)
        w = c["weights"] > 0
        right += int(((probs.argmax(1) > 0) == (c["labels"] > 0))[w].sum())
        frames += int(w.sum())
        found = hesitation.runs(probs)
        used = set()
        for a, b, _k in c["fillers"]:
            m = [j for j, h in enumerate(found) if j not in used and h.start < b + 0.3 and h.end > a - 0.3]
            if m:
                tp += 1
                used.add(m[0])
            else:
                fn += 1
        fp += len(found) - len(used)
    return {"recall": tp / max(tp + fn, 1), "precision": tp / max(tp + fp, 1), "fillers": tp + fn, "false": fp,
            "frame_accuracy": right / max(frames, 1)}


def cross_validate(clips: list[dict]) -> None:
    """Train on each proper subset of FAMILIES and score every family it left out."""
    from itertools import combinations

    by_family = {f: [c for c in clips if family_of(c) == f] for f in FAMILIES}
    for size in range(1, len(FAMILIES)):
        for trained in combinations(FAMILIES, size):
            weights = fit([c for f in trained for c in by_family[f]])
            for held in FAMILIES:
                if held not in trained:
                    s = score(by_family[held], weights)
                    print(f"trained on {'+'.join(trained)}, held out {held} ({len(by_family[held])} clips):",
                          json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in s.items()}),
                          flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clips", type=int, default=600, help="clips of the espeak-ng/Piper mix")
    ap.add_argument("--flite-clips", type=int, default=300, help="clips in flite's voices")
    ap.add_argument("--short-clips", type=int, default=150, help="clips (the families in turn) with every uh cut short")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/voice-interviewer-hesitation"))
    ap.add_argument("--cv", action="store_true", help="also cross-validate by family of voices")
    ap.add_argument("--out", type=Path, default=hesitation.WEIGHTS_FILE)
    args = ap.parse_args()
    clips = load(build(args.cache, args.clips, args.flite_clips, args.short_clips))
    hours = sum(float(c["seconds"]) for c in clips) / 3600
    print(f"{len(clips)} clips, {hours:.2f} h, {sum(len(c['fillers']) for c in clips)} fillers;",
          ", ".join(f"{f} {sum(family_of(c) == f for c in clips)}" for f in FAMILIES), flush=True)
    weights = fit(clips)
    np.savez_compressed(args.out, **weights)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB); on its own training clips:",
          json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in score(clips, weights).items()}),
          flush=True)
    if args.cv:
        cross_validate(clips)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
