"""The end-of-answer detector against the microphone's level: each answer of the audio sets, turned down by
0 to 40 dB, after 1 s of lead-in and over a steady noise floor, fed block by block to `capture.Endpointer` as
the terminal's recording does. Prints, per level, how many answers were cut off before their last sound,
never heard to start, or not ended within 5 s of their last sound.

    python benchmarks/endpointer.py [--noise-db -75] [--dir DIR ...]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from voice_interviewer import vad  # noqa: E402
from voice_interviewer.audio import load_audio  # noqa: E402
from voice_interviewer.capture import BLOCK_S, END_NO_SPEECH, END_SILENCE, Endpointer, block_db  # noqa: E402
from voice_interviewer.config import SAMPLE_RATE  # noqa: E402

GAINS_DB = (0, -15, -20, -25, -30, -35, -40)
LEAD_S, TAIL_S, END_SILENCE_S = 1.0, 8.0, 4.0
LATE_S = END_SILENCE_S + 1.0
SOUND_BELOW_LOUDEST_DB = 30.0  # the last sound: the last 10 ms frame within this of the speech's loud end


def endpoint(x: np.ndarray, noise_db: float, rng) -> tuple[str | None, float, float, float]:
    """(end reason, when it ended, when the last sound was, in seconds from the start of the recording; the
    loud end of the speech, dBFS)."""
    frames = vad.frame_db(x, vad.LEVEL_FRAME_S)
    loud_end = float(np.percentile(frames, vad.SPEECH_LEVEL_PERCENTILE))
    last_sound = LEAD_S + (np.nonzero(frames > loud_end - SOUND_BELOW_LOUDEST_DB)[0][-1] + 1) * vad.LEVEL_FRAME_S
    y = np.concatenate([np.zeros(int(LEAD_S * SAMPLE_RATE)), x, np.zeros(int(TAIL_S * SAMPLE_RATE))])
    y = y + rng.normal(0, 10 ** (noise_db / 20), y.size)
    e = Endpointer(end_silence=END_SILENCE_S, max_seconds=1e9)
    n = int(BLOCK_S * SAMPLE_RATE)
    for i in range(0, y.size - n + 1, n):
        reason = e.feed(block_db(y[i:i + n]))
        if reason:
            return reason, e.t, last_sound, loud_end
    return None, e.t, last_sound, loud_end


def main() -> int:
    from accuracy import default_sets

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dir", type=Path, action="append", help="an audio set (manifest.json beside its files)")
    p.add_argument("--noise-db", type=float, default=-75.0, help="the steady noise floor, dBFS (default -75)")
    args = p.parse_args()
    import json

    dirs = args.dir or default_sets()
    files = [d / m["file"] for d in dirs for m in json.loads((d / "manifest.json").read_text())]
    if not files:
        print("no audio sets found (../shared/eval or --dir)", file=sys.stderr)
        return 1
    audio = [load_audio(f) for f in files]
    print(f"{len(files)} answers from {', '.join(d.name for d in dirs)}; noise floor {args.noise_db:g} dBFS")
    for gain in GAINS_DB:
        rng = np.random.default_rng(0)
        cut = silent = late = 0
        levels = []
        for x in audio:
            reason, ended, last_sound, loud_end = endpoint((x * 10 ** (gain / 20)).astype(np.float32), args.noise_db, rng)
            levels.append(loud_end)
            cut += reason == END_SILENCE and ended < last_sound
            silent += reason == END_NO_SPEECH
            late += reason != END_SILENCE or ended > last_sound + LATE_S
        print(f"turned down {-gain:2d} dB (speech's loud end {np.median(levels):6.1f} dBFS): cut off {cut}, "
              f"never started {silent}, not ended within {LATE_S:g} s {late}   (of {len(files)})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
