"""Feedback latency: answers of 30 s, 2 min and 5 min go through the recorder's path at real-time pace
(blocks of 50 ms handed to the streaming transcriber and the end-of-answer logic, as the recorder does),
and the time from the end of the answer being detected to the written feedback being ready is measured.
With --session it also runs `voice-interviewer practice` through the virtual microphone (time to the first
question, feedback latency, peak RSS of a 5-take session).

Usage: python benchmarks/latency.py [--runs 3] [--lengths 30,120,300] [--session] [--enter]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
DEV = SHARED / "eval" / "audio_dev"


def answer_of(seconds: float) -> np.ndarray:
    """audio_dev answers joined until `seconds` long, then the silence that ends an answer."""
    from voice_interviewer.audio import load_audio

    files = sorted(DEV.glob("*.flac"))
    parts, total, i = [], 0, 0
    while total < seconds * 16000:
        x = load_audio(files[i % len(files)])
        parts.append(x[: int(seconds * 16000) - total])
        total += parts[-1].size
        i += 1
    return np.concatenate(parts)


def one_run(engine, speech: np.ndarray, end_silence: float = 4.0, enter: bool = False) -> float:
    """Seconds from the end of the answer being detected to the written feedback. `enter`: the answer is
    ended by Enter the moment the speech stops (no silence in which to transcribe ahead)."""
    from voice_interviewer.analysis import analyze_samples
    from voice_interviewer.capture import BLOCK_S, Endpointer, block_db
    from voice_interviewer.content import judge  # noqa: F401  (imported as in the app)
    from voice_interviewer.streaming import StreamingTranscriber

    x = np.concatenate([np.zeros(8000, np.float32), speech, np.zeros(int((end_silence + 2) * 16000), np.float32)])
    n = int(16000 * BLOCK_S)
    st = StreamingTranscriber(engine)
    ep = Endpointer(end_silence=end_silence, max_seconds=10_000)
    t0 = time.monotonic()
    for k in range(0, x.size, n):
        block = x[k:k + n]
        st.feed(block)
        if ep.feed(block_db(block)) or (enter and k + n >= 8000 + speech.size):
            break
        delay = t0 + (k + n) / 16000 - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    ended = time.monotonic()
    words, warnings = st.finish()
    analysis = analyze_samples(st.audio(), engine, words=words, warnings=warnings, speech=st.speech)
    from voice_interviewer.feedback import markdown

    markdown(analysis)
    return time.monotonic() - ended


def session(count: int = 5) -> dict:
    """`practice --count N` through the virtual microphone: time to first question, latencies, peak RSS."""
    tool = SHARED / "tools" / "virtual-mic"
    out = subprocess.run([str(tool), "start"], capture_output=True, text=True, check=True).stdout
    env = {**os.environ, **dict(re.findall(r"(\w+)=(\S+)", out)), "VOICE_INTERVIEWER_TIMING": "1"}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            proc = subprocess.Popen([sys.executable, "-m", "voice_interviewer", "practice", "--count", str(count),
                                     "--end-silence", "3", "--recordings", tmp], stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
            lines, first_q, ready = [], [], []
            recording = threading.Semaphore(0)

            def read():
                for line in proc.stdout:
                    lines.append(line)
                    if line.startswith("Recording"):
                        recording.release()
                    m = re.match(r"timing: speech starts ([\d.]+)", line)
                    if m and not first_q:
                        first_q.append(float(m.group(1)))
                    m = re.match(r"timing: feedback ready ([\d.]+) s", line)
                    if m:
                        ready.append(float(m.group(1)))

            threading.Thread(target=read, daemon=True).start()
            files = sorted(DEV.glob("*.flac"))
            for i in range(count):
                if not recording.acquire(timeout=120):
                    break
                time.sleep(0.3)
                subprocess.run([str(tool), "play", str(files[i % len(files)])], env=env, check=True)
            peak = peak_rss_mb(proc, timeout=600)
    finally:
        subprocess.run([str(tool), "stop"], env=env, capture_output=True)
    return {"first_question_s": first_q[0] if first_q else None, "feedback_latency_s": ready, "peak_rss_mb": round(peak)}


def peak_rss_mb(proc: subprocess.Popen, timeout: float) -> float:
    """Wait for `proc`; its own peak RSS. (RUSAGE_CHILDREN would report the largest child of this process,
    and a child forked from this process counts this process's pages until it execs.)"""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return usage.ru_maxrss / 1024
        if time.monotonic() > deadline:
            proc.kill()
            deadline = float("inf")
        time.sleep(0.2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--lengths", default="30,120,300")
    ap.add_argument("--session", action="store_true", help="also a 5-take practice session through the virtual mic")
    ap.add_argument("--enter", action="store_true", help="answers ended by Enter as the speech stops, not by silence")
    args = ap.parse_args()
    from voice_interviewer.transcribe import load_engine

    from voice_interviewer.practice import warm_up_analysis

    engine = load_engine()
    warm_up_analysis()  # as practice does while the question is spoken
    ended = "Enter pressed as the speech stops" if args.enter else "4 s of silence"
    print(f"answer length | latency median | latency max | runs   (end of answer detected -> written feedback ready; "
          f"answer ended by {ended})")
    for length in [float(s) for s in args.lengths.split(",") if s]:  # --lengths "": the session only
        speech = answer_of(length)
        times = [one_run(engine, speech, enter=args.enter) for _ in range(args.runs)]
        print(f"{length:>8.0f} s     | {statistics.median(times):>10.2f} s  | {max(times):>8.2f} s  | {len(times)}",
              flush=True)
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if args.session:
        s = session()
        print(f"practice session of 5 takes: first question spoken {s['first_question_s']:.2f} s after launch; "
              f"feedback latency per take {', '.join(f'{t:.2f}' for t in s['feedback_latency_s'])} s; "
              f"peak RSS {s['peak_rss_mb']} MB")


if __name__ == "__main__":
    main()
