"""A third voice family: answers spoken by flite's voices, with exact filler and pause times.

The development sets speak in espeak-ng's formant voices (audio_dev) and one neural voice (audio_dev_piper);
every method was tuned on them. flite's voices came in as a family nothing was built on; the hesitation detector
has since learnt from them too (training/train_hesitation.py, other texts), so its held-out figure for a family it
never heard is that script's cross-validation by family, not this set. This set speaks the same 40 written
answers of answers_dev2 as audio_dev_piper, in the four voices Debian's `flite` ships (rms and slt: US male and
female, awb: Scottish male, all three statistical parametric voices trained on CMU ARCTIC speakers; kal16: a US
male diphone voice), one voice per answer in turn, the speaking rate varied (duration_stretch 0.95-1.3).
How the answers are spoken (fillers inserted, exact filler and pause times) is benchmarks/voice_set.py's, shared with
the Festival set (festival_set.py).

    python benchmarks/flite_set.py [--answers ../shared/eval/answers_dev2.jsonl] [--out DIR] [--seed 11]

Needs flite and sox (Debian packages). The default output is $VOICE_INTERVIEWER_FLITE_SET, else
../shared/eval/audio_dev_flite; benchmarks/accuracy.py runs it when it is there.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import voice_set

CACHE_ENV = "VOICE_INTERVIEWER_FLITE_SET"
VOICES = ("rms", "slt", "awb", "kal16")
STRETCHES = (0.95, 1.05, 1.15, 1.3, 1.0)


def cache_dir() -> Path:
    return voice_set.cache_dir(CACHE_ENV, "audio_dev_flite")


def synth(voice: str, text: str, stretch: float, path: Path) -> None:
    subprocess.run(["flite", "-voice", voice, "--setf", f"duration_stretch={stretch}", "-t", text, "-o", str(path)],
                   check=True, capture_output=True)


if __name__ == "__main__":
    voice_set.main(__doc__.splitlines()[0], "flite", VOICES, STRETCHES, synth, cache_dir())
