"""Accuracy of `analyze` on ../shared/eval/audio_dev against its manifest (and jfk.flac).

Prints: hesitation-filler (um/uh) recall/precision, "like" + "you know" recall/precision, WPM error,
pause F1 (silences >= 1 s; a match overlaps the true silence), clean-transcript WER, jfk correctness.
Usage: python benchmarks/accuracy.py [--dir DIR] [--streamed [SPEED]]   (DIR holds *.flac|*.wav and
manifest.json; --streamed: the same measures on the path `practice` takes, transcribing while recording)
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

import jiwer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"

from voice_interviewer.analysis import analyze_samples  # noqa: E402
from voice_interviewer.audio import load_audio  # noqa: E402
from voice_interviewer.textnorm import SPELLING, numbers_to_digits  # noqa: E402
from voice_interviewer.transcribe import load_engine  # noqa: E402

HESITATION = ("um", "uh")
DISCOURSE = ("like", "you know")
JFK = "and so my fellow americans ask not what your country can do for you ask what you can do for your country"


def norm(text: str) -> str:
    """Lower case, no punctuation, numbers as digits, British/American spellings merged (both sides alike),
    in the spirit of Whisper's English text normaliser."""
    text = text.lower().replace("-", " ").replace("$", " $ ")
    text = re.sub(r"[^a-z0-9'$ ]", " ", text)
    for pattern, repl in SPELLING:
        text = re.sub(pattern, repl, text)
    tokens = numbers_to_digits(text.split())
    return " ".join("dollars" if t == "$" else t for t in tokens)  # "$50" and "50 dollars" alike


def count_prf(pairs):
    """Per-file counts (true, found) -> recall, precision over the whole set (min-matching per file)."""
    tp = sum(min(t, f) for t, f in pairs)
    true = sum(t for t, _ in pairs)
    found = sum(f for _, f in pairs)
    return (tp / true if true else 1.0), (tp / found if found else 1.0)


def pause_f1(true, found):
    def overlaps(a, b):
        return a["start"] < b["end"] and b["start"] < a["end"]

    tp_true = sum(any(overlaps(t, f) for f in found) for t in true)
    tp_found = sum(any(overlaps(f, t) for t in true) for f in found)
    r = tp_true / len(true) if true else 1.0
    p = tp_found / len(found) if found else 1.0
    return r, p, tp_true, len(true), tp_found, len(found)


def analyze_streamed(samples, engine, speed: float, file: str):
    """As `practice` does: 50 ms blocks into the streaming transcriber at `speed` x real time."""
    from voice_interviewer.streaming import StreamingTranscriber

    st = StreamingTranscriber(engine)
    block, t0 = 800, time.monotonic()
    for i in range(0, samples.size, block):
        st.feed(samples[i:i + block])
        delay = t0 + (i + block) / 16000 / speed - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    words, warnings = st.finish()
    return analyze_samples(st.audio(), engine, file=file, words=words, warnings=warnings, speech=st.speech)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=str(SHARED / "eval" / "audio_dev"))
    ap.add_argument("--engine", default=None)
    ap.add_argument("--beam-size", type=int, default=None)
    ap.add_argument("--streamed", type=float, nargs="?", const=8.0, default=None, metavar="SPEED",
                    help="run the streamed path (transcribe while recording), audio fed at SPEED x real time")
    args = ap.parse_args()
    d = Path(args.dir)
    manifest = json.loads((d / "manifest.json").read_text())
    engine = load_engine(args.engine, beam_size=args.beam_size)
    hes, dis, wpm_err, wers = [], [], [], []
    p_tt = p_nt = p_tf = p_nf = 0
    audio_s = proc_s = 0.0
    print(f"{'id':5} {'um/uh t/f':>10} {'like+yk t/f':>12} {'wpm true':>9} {'wpm':>7} {'err%':>6} {'pauses t/f':>11} {'WER':>6}")
    for m in manifest:
        samples = load_audio(d / m["file"])
        t0 = time.perf_counter()
        if args.streamed:
            a = analyze_streamed(samples, engine, args.streamed, file=m["file"])
        else:
            a = analyze_samples(samples, engine, file=m["file"])
        proc_s += time.perf_counter() - t0
        audio_s += len(samples) / 16000
        by = a["delivery"]["fillers"]["by_word"]
        h_true = sum(m["fillers"].get(k, 0) for k in HESITATION)
        h_found = sum(by.get(k, 0) for k in ("um", "uh", "er", "erm", "hmm", "ah"))
        d_true = sum(m["fillers"].get(k, 0) for k in DISCOURSE)
        d_found = sum(by.get(k, 0) for k in DISCOURSE)
        hes.append((h_true, h_found))
        dis.append((d_true, d_found))
        err = abs(a["delivery"]["wpm"] - m["wpm"]) / m["wpm"] * 100
        wpm_err.append(err)
        pauses = [{"start": p["start"], "end": p["end"]} for p in a["delivery"]["pauses"]["items"]]
        _, _, tt, nt, tf, nf = pause_f1(m["pauses_over_1s"], pauses)
        p_tt, p_nt, p_tf, p_nf = p_tt + tt, p_nt + nt, p_tf + tf, p_nf + nf
        w = jiwer.wer(norm(m["reference_text"]), norm(a["transcript"]["text"]))
        wers.append((w, len(norm(m["reference_text"]).split())))
        print(f"{m['id']:5} {h_true:>4}/{h_found:<5} {d_true:>5}/{d_found:<6} {m['wpm']:>9.1f} {a['delivery']['wpm']:>7.1f} "
              f"{err:>6.1f} {nt:>5}/{nf:<5} {w:>6.3f}")
    hr, hp = count_prf(hes)
    dr, dp = count_prf(dis)
    pr = p_tt / p_nt if p_nt else 1.0
    pp = p_tf / p_nf if p_nf else 1.0
    f1 = 2 * pr * pp / (pr + pp) if pr + pp else 0.0
    total_words = sum(n for _, n in wers)
    wer_all = sum(w * n for w, n in wers) / total_words
    jfk = analyze_samples(load_audio(SHARED / "audio" / "jfk.flac"), engine)
    jfk_ok = norm(jfk["transcript"]["text"]) == norm(JFK)
    print()
    print(f"hesitation fillers (um/uh): recall {hr:.3f}  precision {hp:.3f}   (target >= 0.90 / 0.90)")
    print(f"like + you know fillers:    recall {dr:.3f}  precision {dp:.3f}   (target >= 0.80 / 0.80)")
    print(f"WPM error: median {statistics.median(wpm_err):.2f} %  max {max(wpm_err):.2f} %   (target <= 3 / 8)")
    print(f"pauses >= 1 s: recall {pr:.3f} precision {pp:.3f} F1 {f1:.3f}   (target F1 >= 0.95)")
    print(f"clean WER (word-weighted): {wer_all:.3f}   (target <= 0.12)")
    print(f"jfk.flac transcribed correctly: {jfk_ok}  ({jfk['transcript']['text']!r})")
    if not args.streamed:
        print(f"real-time factor over the set: {proc_s / audio_s:.3f}")


if __name__ == "__main__":
    main()
