"""Speed of `analyze`: model load time and real-time factor (all filler passes included), 2 threads, and the
time of plain faster-whisper (tiny.en int8, beam 5, its defaults) on the same files (target: analyze within
1.3x of it).

Usage: python benchmarks/speed.py [--readers N] [--beam-size N] [FILES...]   (default: every ../shared/eval/audio_dev file + jfk.flac)
--readers 1 decodes the two readings of a clip one after the other (the default runs them side by side).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"


def main():
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--readers", type=int, default=None, help="decoders side by side (default: the engine's)")
    ap.add_argument("--beam-size", type=int, default=None, help="the plain reading's beam (default: the engine's)")
    ap.add_argument("files", nargs="*", type=Path)
    args = ap.parse_args()
    files = args.files or sorted((SHARED / "eval" / "audio_dev").glob("*.flac")) + [SHARED / "audio" / "jfk.flac"]
    t0 = time.perf_counter()
    from voice_interviewer.transcribe import DEFAULT_BEAM_SIZE, READERS, FasterWhisperEngine

    engine = FasterWhisperEngine(readers=args.readers or READERS, beam_size=args.beam_size or DEFAULT_BEAM_SIZE)
    load_s = time.perf_counter() - t0
    from voice_interviewer.transcribe import plain_faster_whisper

    plain = plain_faster_whisper()  # one thread: its fastest here
    plain_default = plain_faster_whisper(cpu_threads=0)  # faster-whisper's own default
    from voice_interviewer.analysis import analyze_samples
    from voice_interviewer.audio import load_audio

    def plain_read(model, samples):
        segments, _ = model.transcribe(samples, language="en", beam_size=5)
        " ".join(s.text for s in segments)  # the generator decodes as it is read

    first = load_audio(files[0])
    analyze_samples(first, engine)  # warm-up (first-call allocations)
    plain_read(plain, first)
    plain_read(plain_default, first)
    audio_s = proc_s = plain_s = default_s = 0.0
    for f in files:
        samples = load_audio(f)
        t = time.perf_counter()
        analyze_samples(samples, engine)
        proc_s += time.perf_counter() - t
        t = time.perf_counter()
        plain_read(plain, samples)
        plain_s += time.perf_counter() - t
        t = time.perf_counter()
        plain_read(plain_default, samples)
        default_s += time.perf_counter() - t
        audio_s += len(samples) / 16000
    print(f"model load: {load_s:.2f} s (target <= 1.5); {engine.readers} reader(s) side by side, "
          f"plain reading beam {engine.beam_size}")
    print(f"analyze: {proc_s:.1f} s for {audio_s:.0f} s of audio over {len(files)} files; "
          f"real-time factor {proc_s / audio_s:.3f}")
    print(f"plain faster-whisper (beam 5, 1 thread, its fastest here): {plain_s:.1f} s; analyze / plain = "
          f"{proc_s / plain_s:.2f} (target <= 1.3)")
    print(f"plain faster-whisper with its default threads: {default_s:.1f} s; analyze / plain = {proc_s / default_s:.2f}")


if __name__ == "__main__":
    main()
