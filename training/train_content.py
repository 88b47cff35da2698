"""Rebuild the content judge's weights (voice_interviewer/models/content_judge.npz) from training/data.

Usage: python training/train_content.py [--out FILE]
Needs scikit-learn (pip install -e '.[train]') and the encoder package; deterministic (same data, same weights).
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training.content_training import DATA, Featurizer, fit, load_answers, load_sentences  # noqa: E402
from voice_interviewer.content_model import WEIGHTS_FILE, Encoder, model_path  # noqa: E402


def data_digest() -> str:
    h = hashlib.sha256()
    for f in sorted(DATA.iterdir()):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    args = ap.parse_args()
    t0 = time.perf_counter()
    sentences = load_sentences()
    answers = load_answers()
    print(f"{len(sentences)} written sentences (+ as many spoken-form twins), {len(answers)} labelled answers")
    weights = fit(sentences, answers, Featurizer(Encoder(model_path())), log=print)
    weights.save(args.out, data_digest=data_digest())
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB) in {time.perf_counter() - t0:.0f} s; "
          f"data digest {data_digest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
