"""Content judge accuracy, k-fold cross-validated on the development answers, and its speed.

Each fold's judge is trained (training/content_training.py) on the written sentences and the answers of the
other folds only (their evidence quotes included), then judges the fold's answers through content.judge:
per-label accuracy, label mean, grade accuracy and confusion, strong answers graded weak, written vs spoken,
time per answer and model load time.

Usage: python benchmarks/content_accuracy.py [-k 5] [-v]
       python benchmarks/content_accuracy.py --installed   (the shipped weights on the same answers: not held out)
Needs scikit-learn for the cross-validation (pip install -e '.[train]').
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training.content_training import Featurizer, fit, folds, load_answers, load_sentences  # noqa: E402
from voice_interviewer import content_model  # noqa: E402
from voice_interviewer.content import LABELS, judge  # noqa: E402

GRADES = ("strong", "adequate", "weak")
TARGET_MEAN, TARGET_LABEL, TARGET_GRADE, TARGET_FORM_GAP = 0.92, 0.85, 0.85, 0.03
TARGET_MS, TARGET_LOAD_S = 150, 1.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", type=int, default=5, help="folds (default 5)")
    ap.add_argument("--installed", action="store_true", help="judge with the shipped weights instead (not held out)")
    ap.add_argument("--no-audio", action="store_true", help=argparse.SUPPRESS)  # kept for old callers: there is no audio part
    ap.add_argument("-v", action="store_true", help="print every wrong label with its best clause")
    args = ap.parse_args()

    t0 = time.perf_counter()
    content_model._judge = None
    installed = content_model.load()
    load_s = time.perf_counter() - t0
    answers = load_answers()
    sentences = load_sentences()
    results, times = {}, []
    if args.installed:
        models = {a.id: installed for a in answers}
        print(f"shipped weights on the {len(answers)} development answers (trained on them: NOT held out)")
    else:
        fold_of = folds(answers, args.k)
        feats = Featurizer(installed.encoder)
        models = {}
        for f in range(args.k):
            train = [a for a in answers if fold_of[a.id] != f]
            weights = fit(sentences, train, feats)
            fold_judge = content_model.Judge(installed.encoder, weights)
            for a in answers:
                if fold_of[a.id] == f:
                    models[a.id] = fold_judge
            print(f"fold {f + 1}/{args.k} trained", file=sys.stderr)
        print(f"{args.k}-fold cross-validation on {len(answers)} development answers "
              f"({sum(a.form == 'written' for a in answers)} written, {sum(a.form == 'spoken' for a in answers)} spoken); "
              f"{len(sentences)} written training sentences")
    for a in answers:
        t = time.perf_counter()
        results[a.id] = judge(a.text, role=a.role, model=models[a.id])
        times.append(time.perf_counter() - t)

    def label_acc(subset, k):
        return sum(results[a.id]["labels"][k] == a.labels[k] for a in subset) / len(subset)

    def mean_acc(subset):
        return sum(label_acc(subset, k) for k in LABELS) / len(LABELS)

    def grade_acc(subset):
        return sum(results[a.id]["grade"] == a.grade for a in subset) / len(subset)

    print(f"\n{'label':14} accuracy")
    worst = 1.0
    for k in LABELS:
        acc = label_acc(answers, k)
        worst = min(worst, acc)
        print(f"{k:14} {acc:.3f}")
    mean = mean_acc(answers)
    print(f"{'mean':14} {mean:.3f}   (target >= {TARGET_MEAN}, every label >= {TARGET_LABEL}; lowest {worst:.3f})")

    confusion = Counter((a.grade, results[a.id]["grade"]) for a in answers)
    print("\ngrade confusion (rows: labelled, columns: judged)")
    print(" " * 10 + "".join(f"{g:>10}" for g in GRADES))
    for g in GRADES:
        print(f"{g:10}" + "".join(f"{confusion[(g, h)]:>10}" for h in GRADES))
    print(f"grade accuracy: {grade_acc(answers):.3f}   (target >= {TARGET_GRADE})")
    print(f"strong answers graded weak: {confusion[('strong', 'weak')]}   (target 0)")

    print("\nform      answers  label mean  grade")
    by_form = {}
    for form in ("written", "spoken"):
        sub = [a for a in answers if a.form == form]
        if sub:
            by_form[form] = mean_acc(sub)
            print(f"{form:9} {len(sub):7}  {by_form[form]:10.3f}  {grade_acc(sub):5.3f}")
    if len(by_form) == 2:
        print(f"spoken - written label mean: {by_form['spoken'] - by_form['written']:+.3f}   (target within {TARGET_FORM_GAP})")

    ms = sorted(t * 1000 for t in times)
    print(f"\ntime per answer: median {statistics.median(ms):.0f} ms, p90 {ms[int(0.9 * (len(ms) - 1))]:.0f} ms, "
          f"max {ms[-1]:.0f} ms   (target <= {TARGET_MS} ms on 2 cores; words per answer: median "
          f"{statistics.median(len(a.text.split()) for a in answers):.0f}, max {max(len(a.text.split()) for a in answers)})")
    print(f"model load: {load_s:.2f} s   (target <= {TARGET_LOAD_S} s)")

    if args.v:
        print()
        for a in answers:
            r = results[a.id]
            for k in LABELS:
                if r["labels"][k] != a.labels[k]:
                    print(f"  {a.id} {a.form[0]} {k}: said {r['labels'][k]} ({r['scores'][k]:.2f}) "
                          f"| {(r['evidence'].get(k) or '')[:90]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
