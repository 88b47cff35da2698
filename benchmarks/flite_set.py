"""A third voice family: answers spoken by flite's voices, with exact filler and pause times.

The development sets speak in espeak-ng's formant voices (audio_dev) and one neural voice (audio_dev_piper);
every method was tuned on them. flite's voices came in as a family nothing was built on; the hesitation detector
has since learnt from them too (training/train_hesitation.py, other texts), so its held-out figure for a family it
never heard is that script's cross-validation by family, not this set. This set speaks the same 40 written
answers of answers_dev2 as audio_dev_piper, in the four voices Debian's `flite` ships (rms and slt: US male and
female, awb: Scottish male, all three statistical parametric voices trained on CMU ARCTIC speakers; kal16: a US
male diphone voice), one voice per answer in turn, the speaking rate varied (duration_stretch 0.95-1.3).
Deterministic (seeded, sox without dither). As ../shared/tools/make_audio_piper.py makes its set: each sentence in
pieces around an inserted filler ("um", "uh", "like", "you know", spoken as its own piece), pieces trimmed and
joined with short gaps, silences of 0.35-2.6 s between sentences, so the manifest's `filler_items` and
`pauses_over_1s` are exact. Same manifest fields as audio_dev_piper.

    python benchmarks/flite_set.py [--answers ../shared/eval/answers_dev2.jsonl] [--out DIR] [--seed 11]

Needs flite and sox (Debian packages). The default output is $VOICE_INTERVIEWER_FLITE_SET, else
../shared/eval/audio_dev_flite; benchmarks/accuracy.py runs it when it is there.
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

ROOT = Path(__file__).resolve().parents[1]
CACHE_ENV = "VOICE_INTERVIEWER_FLITE_SET"
VOICES = ("rms", "slt", "awb", "kal16")
STRETCHES = (0.95, 1.05, 1.15, 1.3, 1.0)
FILLERS = ("um", "uh", "um", "uh", "like", "you know")
SENTENCE_GAPS_S = (0.35, 0.5, 0.7, 1.3, 1.8, 2.6)
AFTER_FILLER_S = (0.12, 0.2, 0.3)
JOIN_GAP_S = 0.06
LEAD_S, TAIL_S = 1.0, 1.5
RATE_HZ = 16000


def cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else ROOT.parent / "shared" / "eval" / "audio_dev_flite"


def speak(voice: str, text: str, stretch: float, path: Path) -> float:
    """`text` in a flite voice into `path` (16 kHz mono), its edge silences trimmed; its length in seconds."""
    raw = path.with_suffix(".raw.wav")
    subprocess.run(["flite", "-voice", voice, "--setf", f"duration_stretch={stretch}", "-t", text, "-o", str(raw)],
                   check=True, capture_output=True)
    subprocess.run(["sox", "-D", str(raw), "-r", str(RATE_HZ), "-c", "1", "-b", "16", str(path),
                    "silence", "1", "0.01", "0.5%", "reverse", "silence", "1", "0.01", "0.5%", "reverse"], check=True)
    raw.unlink()
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def silence(seconds: float, path: Path) -> None:
    subprocess.run(["sox", "-D", "-n", "-r", str(RATE_HZ), "-c", "1", "-b", "16", str(path), "trim", "0",
                    f"{seconds:.3f}"], check=True)


def build(answers: Path, out: Path, seed: int) -> list[dict]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    items = [json.loads(line) for line in answers.read_text().splitlines() if line.strip()]
    items = [it for it in items if it.get("form") == "written"]
    manifest = []
    for i, item in enumerate(items):
        voice, stretch = VOICES[i % len(VOICES)], STRETCHES[i % len(STRETCHES)]
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", item["text"].strip()) if s]
        pieces: list[Path] = []
        fillers: dict[str, int] = {}
        filler_items, pauses, spoken = [], [], []
        t, words = 0.0, 0
        with tempfile.TemporaryDirectory(prefix="vi-flite-") as tmp:
            def add_speech(text: str) -> tuple[float, float]:
                nonlocal t
                p = Path(tmp) / f"p{len(pieces)}.wav"
                start, t = t, t + speak(voice, text, stretch, p)
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
            "id": item["id"], "file": wav.name, "voice": f"flite {voice}", "length_scale": stretch,
            "question": item["question"], "role": item.get("role"),
            "reference_text": item["text"], "spoken_text": " ".join(spoken), "words_spoken": words,
            "speech_start_s": LEAD_S, "speech_end_s": round(LEAD_S + t, 3), "wpm": round(words / (t / 60), 1),
            "fillers": fillers, "filler_total": sum(fillers.values()), "filler_items": filler_items,
            "pauses_over_1s": pauses, "labels": item.get("labels"), "grade": item.get("grade"),
        })
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return manifest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--answers", type=Path, default=ROOT.parent / "shared" / "eval" / "answers_dev2.jsonl")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    out = args.out or cache_dir()
    manifest = build(args.answers, out, args.seed)
    print(f"{len(manifest)} answers in {len(VOICES)} flite voices -> {out}")


if __name__ == "__main__":
    main()
