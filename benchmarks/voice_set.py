"""The common part of the sets spoken by a family of Debian TTS voices (flite_set.py, festival_set.py).

A set speaks the 40 written answers of answers_dev2 (as audio_dev_piper does), one voice per answer in turn, the
speaking rate varied. As ../shared/tools/make_audio_piper.py makes its set: each sentence in pieces around an
inserted filler ("um", "uh", "like", "you know", spoken as its own piece), pieces trimmed and joined with short gaps,
silences of 0.35-2.6 s between sentences, so the manifest's `filler_items` and `pauses_over_1s` are exact. Same
manifest fields as audio_dev_piper. Deterministic (seeded, sox without dither) as long as the voice is.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import tempfile
import wave
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
FILLERS = ("um", "uh", "um", "uh", "like", "you know")
SENTENCE_GAPS_S = (0.35, 0.5, 0.7, 1.3, 1.8, 2.6)
AFTER_FILLER_S = (0.12, 0.2, 0.3)
JOIN_GAP_S = 0.06
LEAD_S, TAIL_S = 1.0, 1.5
RATE_HZ = 16000

# synth(voice, text, stretch, path): write `text` in `voice` at rate `stretch` (1 the voice's own, more slower) to
# the wav file `path`, any rate
Synth = Callable[[str, str, float, Path], None]


def cache_dir(env: str, name: str) -> Path:
    value = os.environ.get(env)
    return Path(value) if value else EVAL / name


def speak(synth: Synth, voice: str, text: str, stretch: float, path: Path) -> float:
    """`text` spoken into `path` (16 kHz mono), its edge silences trimmed; its length in seconds."""
    raw = path.with_suffix(".raw.wav")
    synth(voice, text, stretch, raw)
    subprocess.run(["sox", "-D", str(raw), "-r", str(RATE_HZ), "-c", "1", "-b", "16", str(path),
                    "silence", "1", "0.01", "0.5%", "reverse", "silence", "1", "0.01", "0.5%", "reverse"], check=True)
    raw.unlink()
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def silence(seconds: float, path: Path) -> None:
    subprocess.run(["sox", "-D", "-n", "-r", str(RATE_HZ), "-c", "1", "-b", "16", str(path), "trim", "0",
                    f"{seconds:.3f}"], check=True)


def build(answers: Path, out: Path, seed: int, family: str, voices: tuple[str, ...], stretches: tuple[float, ...],
          synth: Synth) -> list[dict]:
    """Speak the written answers of `answers` into `out` (one wav each and manifest.json); the manifest."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    items = [json.loads(line) for line in answers.read_text().splitlines() if line.strip()]
    items = [it for it in items if it.get("form") == "written"]
    manifest = []
    for i, item in enumerate(items):
        voice, stretch = voices[i % len(voices)], stretches[i % len(stretches)]
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", item["text"].strip()) if s]
        pieces: list[Path] = []
        fillers: dict[str, int] = {}
        filler_items, pauses, spoken = [], [], []
        t, words = 0.0, 0
        with tempfile.TemporaryDirectory(prefix=f"vi-{family}-") as tmp:
            def add_speech(text: str) -> tuple[float, float]:
                nonlocal t
                p = Path(tmp) / f"p{len(pieces)}.wav"
                start, t = t, t + speak(synth, voice, text, stretch, p)
                pieces.append(p)
                return start, t

            def add_gap(seconds: float) -> None:
                nonlocal t
                p = Path(tmp) / f"g{len(pieces)}.wav"
                silence(seconds, p)
                pieces.append(p)
                t += seconds

            for j, sentence in enumerate(sentences):
                tokens = sentence.split()
                parts, filler = [tokens], None
                if j == 0 and rng.random() < 0.5:
                    filler, parts = rng.choice(["um", "uh"]), [[], tokens]
                elif len(tokens) > 3 and rng.random() < 0.6:
                    k = rng.randrange(1, len(tokens) - 1)
                    filler, parts = rng.choice(FILLERS), [tokens[:k], tokens[k:]]
                if parts[0]:
                    add_speech(" ".join(parts[0]))
                    spoken.append(" ".join(parts[0]))
                if filler:
                    if parts[0]:
                        add_gap(JOIN_GAP_S)
                    a, b = add_speech(filler + ".")
                    filler_items.append({"filler": filler, "start": round(LEAD_S + a, 3), "end": round(LEAD_S + b, 3)})
                    fillers[filler] = fillers.get(filler, 0) + 1
                    spoken.append(filler + ",")
                    add_gap(rng.choice(AFTER_FILLER_S))
                    add_speech(" ".join(parts[1]))
                    spoken.append(" ".join(parts[1]))
                words += len(re.findall(r"[A-Za-z0-9']+", sentence)) + (len(filler.split()) if filler else 0)
                if j < len(sentences) - 1:
                    gap = rng.choice(SENTENCE_GAPS_S)
                    if gap >= 1.0:
                        pauses.append({"start": round(LEAD_S + t, 3), "end": round(LEAD_S + t + gap, 3)})
                    add_gap(gap)
            lead, tail = Path(tmp) / "lead.wav", Path(tmp) / "tail.wav"
            silence(LEAD_S, lead)
            silence(TAIL_S, tail)
            wav = out / f"{item['id']}.wav"
            subprocess.run(["sox", "-D", str(lead), *map(str, pieces), str(tail), str(wav)], check=True)
        manifest.append({
            "id": item["id"], "file": wav.name, "voice": f"{family} {voice}", "length_scale": stretch,
            "question": item["question"], "role": item.get("role"),
            "reference_text": item["text"], "spoken_text": " ".join(spoken), "words_spoken": words,
            "speech_start_s": LEAD_S, "speech_end_s": round(LEAD_S + t, 3), "wpm": round(words / (t / 60), 1),
            "fillers": fillers, "filler_total": sum(fillers.values()), "filler_items": filler_items,
            "pauses_over_1s": pauses, "labels": item.get("labels"), "grade": item.get("grade"),
        })
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return manifest


def main(description: str, family: str, voices: tuple[str, ...], stretches: tuple[float, ...], synth: Synth,
         default_out: Path) -> None:
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--answers", type=Path, default=EVAL / "answers_dev2.jsonl")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    out = args.out or default_out
    manifest = build(args.answers, out, args.seed, family, voices, stretches, synth)
    print(f"{len(manifest)} answers in {len(voices)} {family} voices -> {out}")
