"""Endurance: resident memory growth over many analyses in one process (and, with --practice N, over an
N-take practice session fed through the virtual microphone). Target: growth under 50 MB.

Usage: python benchmarks/endurance.py [--analyses 200] [--practice 20]
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def analyses(n: int) -> None:
    from voice_interviewer.analysis import analyze_samples
    from voice_interviewer.audio import load_audio
    from voice_interviewer.feedback import markdown
    from voice_interviewer.transcribe import load_engine

    engine = load_engine()
    files = sorted((SHARED / "eval" / "audio_dev").glob("*.flac"))
    samples = [load_audio(f) for f in files]
    for x in samples[:3]:  # warm-up: first-call allocations and caches
        markdown(analyze_samples(x, engine))
    start = rss_mb()
    t0 = time.perf_counter()
    for i in range(n):
        markdown(analyze_samples(samples[i % len(samples)], engine))
        if (i + 1) % 50 == 0:
            print(f"  after {i + 1:4d} analyses: RSS {rss_mb():.0f} MB", flush=True)
    growth = rss_mb() - start
    print(f"{n} analyses in one process ({time.perf_counter() - t0:.0f} s): RSS {start:.0f} -> {rss_mb():.0f} MB, "
          f"growth {growth:.1f} MB (target < 50)")


def practice(n: int) -> None:
    tool = SHARED / "tools" / "virtual-mic"
    out = subprocess.run([str(tool), "start"], capture_output=True, text=True, check=True).stdout
    env = {**os.environ, **dict(re.findall(r"(\w+)=(\S+)", out))}
    samples = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            proc = subprocess.Popen([sys.executable, "-m", "voice_interviewer", "practice", "--count", str(n), "--no-speak",
                                     "--end-silence", "2", "--recordings", tmp, "--questions", str(make_bank(tmp, n))],
                                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                    env=env)
            ready = threading.Semaphore(0)
            threading.Thread(target=lambda: [ready.release() for line in proc.stdout if line.startswith("Recording")],
                             daemon=True).start()
            files = sorted((SHARED / "eval" / "audio_dev").glob("d0[5-8].flac"))
            p = psutil.Process(proc.pid)
            for i in range(n):
                if not ready.acquire(timeout=120):
                    break
                samples.append(p.memory_info().rss / 2**20)
                subprocess.run([str(tool), "play", str(files[i % len(files)])], env=env, check=True)
            proc.wait(600)
    finally:
        subprocess.run([str(tool), "stop"], env=env, capture_output=True)
    if len(samples) > 2:
        print(f"practice session of {len(samples)} takes: RSS at take 2 {samples[1]:.0f} MB, at take {len(samples)} "
              f"{samples[-1]:.0f} MB, growth {samples[-1] - samples[1]:.1f} MB (target < 50)")


def make_bank(tmp: str, n: int) -> Path:
    p = Path(tmp) / "bank.toml"
    p.write_text("".join(f'[[question]]\nid = "q{i}"\ntext = "Question {i}?"\n\n' for i in range(n)))
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--analyses", type=int, default=200)
    ap.add_argument("--practice", type=int, default=0, metavar="TAKES")
    args = ap.parse_args()
    if args.analyses:
        analyses(args.analyses)
    if args.practice:
        practice(args.practice)


if __name__ == "__main__":
    main()
