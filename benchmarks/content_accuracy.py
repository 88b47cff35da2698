"""Content labels against ../shared/eval/answers_dev.jsonl (text) and against Whisper transcripts of
../shared/eval/audio_dev: per-label accuracy, grade confusion, time per answer, text/transcript agreement.

Usage: python benchmarks/content_accuracy.py [--answers FILE] [--audio-dir DIR | --no-audio]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"

from voice_interviewer.content import LABELS, judge  # noqa: E402

GRADES = ("strong", "adequate", "weak")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--answers", default=str(SHARED / "eval" / "answers_dev.jsonl"))
    ap.add_argument("--audio-dir", default=str(SHARED / "eval" / "audio_dev"))
    ap.add_argument("--no-audio", action="store_true")
    ap.add_argument("-v", action="store_true", help="print every wrong label")
    args = ap.parse_args()
    items = [json.loads(line) for line in Path(args.answers).read_text().splitlines() if line.strip()]
    correct = Counter()
    confusion = Counter()
    text_labels = {}
    t0 = time.perf_counter()
    for it in items:
        c = judge(it["text"], role=it.get("role"))
        text_labels[it["id"]] = c["labels"]
        for k in LABELS:
            ok = c["labels"][k] == it["labels"][k]
            correct[k] += ok
            if not ok and args.v:
                print(f"  {it['id']} {k}: said {c['labels'][k]}, label {it['labels'][k]}")
        confusion[(it["grade"], c["grade"])] += 1
    per_answer = (time.perf_counter() - t0) / len(items)
    n = len(items)
    print(f"{'label':14} accuracy")
    for k in LABELS:
        print(f"{k:14} {correct[k] / n:.2f}")
    mean = sum(correct.values()) / (n * len(LABELS))
    print(f"{'mean':14} {mean:.3f}   (target >= 0.90, none below 0.80)")
    print("\ngrade confusion (rows: labelled, columns: judged)")
    print(" " * 10 + "".join(f"{g:>10}" for g in GRADES))
    for g in GRADES:
        print(f"{g:10}" + "".join(f"{confusion[(g, h)]:>10}" for h in GRADES))
    print(f"grade correct: {sum(confusion[(g, g)] for g in GRADES)}/{n}   (target >= 9/12)")
    print(f"time per answer: {per_answer * 1000:.1f} ms   (target < 200 ms)")
    if args.no_audio:
        return
    from voice_interviewer.analysis import analyze_samples
    from voice_interviewer.audio import load_audio
    from voice_interviewer.transcribe import load_engine

    d = Path(args.audio_dir)
    manifest = json.loads((d / "manifest.json").read_text())
    engine = load_engine()
    agree = total = 0
    for m in manifest:
        a = analyze_samples(load_audio(d / m["file"]), engine, role=m.get("role"))
        spoken = a["content"]["labels"]
        ref = text_labels.get(m["id"]) or judge(m["reference_text"], role=m.get("role"))["labels"]
        for k in LABELS:
            agree += spoken[k] == ref[k]
            total += 1
            if spoken[k] != ref[k] and args.v:
                print(f"  transcript {m['id']} {k}: {spoken[k]} vs text {ref[k]}")
    print(f"labels from Whisper transcripts agree with text labels: {agree}/{total} = {agree / total:.3f}   (target >= 0.90)")


if __name__ == "__main__":
    main()
