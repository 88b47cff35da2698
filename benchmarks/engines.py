"""Both engines on the same files, each in its own process (clean peak RSS): load time, real-time factor,
peak RSS, clean WER and hesitation-filler recall on ../shared/eval/audio_dev.

Usage: python benchmarks/engines.py [--engines faster-whisper,openai-whisper] [--model DIR]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"


def measure(engine_name: str, model: str | None) -> dict:
    import jiwer

    from benchmarks.accuracy import norm
    from voice_interviewer.analysis import analyze_samples
    from voice_interviewer.audio import load_audio
    from voice_interviewer.transcribe import load_engine

    t0 = time.perf_counter()
    engine = load_engine(engine_name, model)
    load_s = time.perf_counter() - t0
    d = SHARED / "eval" / "audio_dev"
    manifest = json.loads((d / "manifest.json").read_text())
    analyze_samples(load_audio(SHARED / "audio" / "jfk.flac"), engine)  # warm-up (numba compiles on first call)
    audio_s = proc_s = 0.0
    errors = words = 0
    true_h = found_h = 0
    for m in manifest:
        x = load_audio(d / m["file"])
        t = time.perf_counter()
        a = analyze_samples(x, engine)
        proc_s += time.perf_counter() - t
        audio_s += x.size / 16000
        ref = norm(m["reference_text"])
        errors += jiwer.process_words(ref, norm(a["transcript"]["text"])).wer * len(ref.split())
        words += len(ref.split())
        h_true = m["fillers"]["um"] + m["fillers"]["uh"]
        by = a["delivery"]["fillers"]["by_word"]
        true_h += h_true
        found_h += min(h_true, by.get("um", 0) + by.get("uh", 0))
    return {"engine": engine_name, "load_s": round(load_s, 2), "rtf": round(proc_s / audio_s, 3),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "wer": round(errors / words, 3), "filler_recall": round(found_h / true_h, 3)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engines", default="faster-whisper,openai-whisper")
    ap.add_argument("--model", default=None)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.model)))
        return
    rows = []
    for name in args.engines.split(","):
        cmd = [sys.executable, __file__, "--one", name] + (["--model", args.model] if args.model else [])
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            print(f"{name}: failed: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else r.returncode}")
            continue
        rows.append(json.loads(r.stdout.strip().splitlines()[-1]))
    print("| engine | model load | real-time factor | peak RSS | WER (audio_dev) | um/uh recall |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['engine']} | {row['load_s']} s | {row['rtf']} | {row['peak_rss_mb']} MB | {row['wer']} | {row['filler_recall']} |")


if __name__ == "__main__":
    main()
