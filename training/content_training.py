"""Training the content judge (voice_interviewer/content_model.py): data, features, the two layers.

Data (training/data/, see training/README.md):
- sentences_*.tsv: clauses written for this project from the label definitions, each with its labels
  (`label[,label...] TAB text`, `-` for none); every one also gets a spoken-form twin (spoken_form()).
- answers_dev.jsonl, answers_dev2.jsonl: the 92 labelled development answers (copied from ../shared/eval).
- dev_evidence.jsonl: for each of those answers and each of its true labels, the exact quotes that show it.
  A clause of an answer is a positive for a label when it overlaps such a quote; a negative when the
  answer does not have the label; and left out for that label otherwise (it may or may not show it).
- answers_synthetic.jsonl: whole labelled answers written for this project, each with a spoken-form twin
  (spoken_answer()); they train the answer layer only, so it has more than the development answers to learn
  from (cross-validation still scores only the development answers).

Layers: per label, a logistic regression on clause features (content_model.clause_features); then per label a
logistic regression on the answer's top clause scores, fitted on out-of-fold clause scores of the training
answers and the synthetic answers (so the answer layer learns how the clause layer behaves on answers it has not
seen).
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from voice_interviewer.content_model import (LABELS, Weights, answer_features, clause_features, cue_hits, pair_hits,
                                             rule_hits, word_pairs)
from voice_interviewer.content_rules import split_clauses

DATA = Path(__file__).resolve().parent / "data"
ANSWER_FILES = ("answers_dev.jsonl", "answers_dev2.jsonl")
SYNTHETIC_FILE = "answers_synthetic.jsonl"  # whole answers written for the answer layer only (training/README.md)
SEED = 16
CLAUSE_C = 0.5  # inverse regularisation of the clause layer (chosen by cross-validation among 0.1, 0.2, 0.5, 1, 2, 8)
MIN_PAIR_COUNT = 3  # a word or word pair joins the clause features when this many training texts have it
ANSWER_C = 3.0  # (chosen by cross-validation among 0.3, 1, 3, 10)
INNER_FOLDS = 5
OVERLAP_CHARS = 25  # a clause and a quote this many characters in common: the clause shows the quote's label


@dataclass
class Example:
    text: str
    positive: frozenset
    known: frozenset  # the labels this example says anything about
    role: str | None = None


@dataclass
class Answer:
    id: str
    text: str
    labels: dict
    grade: str
    form: str
    role: str | None
    evidence: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Written:
    text: str
    labels: frozenset
    source: str | None = None  # the development answer it was derived from (shares its wording), if any


DERIVED_SHARE = 0.25  # a sentence sharing this share of its word 4-grams with an answer is derived from it


def _grams(text: str, n: int = 4) -> set:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def derived_from(text: str, answers: Sequence["Answer"]) -> str | None:
    """The development answer this sentence shares its wording with, so cross-validation can leave it out
    with that answer (sentences were written after reading the development answers)."""
    mine = _grams(text)
    if not mine:
        return None
    share, best = max(((len(mine & _grams(a.text)) / len(mine), a.id) for a in answers), default=(0.0, None))
    return best if share >= DERIVED_SHARE else None


def load_sentences(data: Path = DATA, answers: Sequence["Answer"] | None = None) -> list[Written]:
    answers = load_answers(data) if answers is None else answers
    out = []
    for f in sorted(data.glob("sentences_*.tsv")):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            labels, text = line.split("\t", 1)
            labels = frozenset() if labels == "-" else frozenset(labels.split(","))
            unknown = labels - set(LABELS)
            if unknown:
                raise ValueError(f"{f.name}:{n}: unknown label(s) {sorted(unknown)}")
            out.append(Written(text.strip(), labels, derived_from(text, answers)))
    return out


def load_answers(data: Path = DATA) -> list[Answer]:
    evidence = {}
    for line in (data / "dev_evidence.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            evidence[d["id"]] = d["spans"]
    out = []
    for name in ANSWER_FILES:
        for line in (data / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                out.append(Answer(d["id"], d["text"], d["labels"], d["grade"], d.get("form", "written"),
                                  d.get("role"), evidence.get(d["id"], {})))
    return out


def load_synthetic(data: Path = DATA, seed: int = SEED) -> list[Answer]:
    """The whole answers written for the answer layer, each with a spoken-form twin (id + "s")."""
    rng = random.Random(seed)
    out = []
    path = data / SYNTHETIC_FILE
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        if line.strip():
            d = json.loads(line)
            out.append(Answer(d["id"], d["text"], d["labels"], d["grade"], "written", d.get("role")))
            out.append(Answer(d["id"] + "s", spoken_answer(d["text"], rng), d["labels"], d["grade"], "spoken", d.get("role")))
    return out


CONTRACTIONS = ((r"\bI had\b", "i'd"), (r"\bI have\b", "i've"), (r"\bI am\b", "i'm"), (r"\bdid not\b", "didn't"),
                (r"\bdo not\b", "don't"), (r"\bwas not\b", "wasn't"), (r"\bit is\b", "it's"), (r"\bthat is\b", "that's"),
                (r"\bI would\b", "i'd"), (r"\bI will\b", "i'll"), (r"\bcannot\b", "can't"))
NUMBER_WORDS = {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six", "7": "seven", "8": "eight",
                "9": "nine", "10": "ten", "12": "twelve", "15": "fifteen", "20": "twenty", "30": "thirty",
                "40": "forty", "50": "fifty", "100": "a hundred"}
OPENERS = ("so", "and", "yeah so", "okay so", "and then", "but", "right so", "um so")


def spoken_form(text: str, rng: random.Random) -> str:
    """The shape a speech recogniser gives the same words: lower case, no punctuation, contractions, numbers as
    words or digits, now and then a restart ("i i went") or an opener ("so ...")."""
    t = text
    for pattern, short in CONTRACTIONS:
        if rng.random() < 0.6:
            t = re.sub(pattern, short, t)
    t = re.sub(r"£(\d+)", r"\1 pounds", t)
    t = re.sub(r"\$(\d+)", r"\1 dollars", t).replace("%", " percent")
    t = re.sub(r"\b\d+\b", lambda m: NUMBER_WORDS.get(m.group(0), m.group(0)) if rng.random() < 0.7 else m.group(0), t)
    t = re.sub(r"[^\w\s']", lambda m: " " if m.group(0) in "-/" else "", t.lower())
    words = t.split()
    if len(words) > 4 and rng.random() < 0.3:
        k = rng.randrange(0, len(words) - 2)
        n = rng.choice((1, 1, 2, 3))
        words = words[:k] + words[k:k + n] + words[k:]
    if rng.random() < 0.25:
        words = [rng.choice(OPENERS)] + words
    return " ".join(words)


def spoken_answer(text: str, rng: random.Random) -> str:
    """A whole answer as a recogniser gives it: each sentence in spoken form, most full stops gone (run-ons)."""
    out = []
    for sentence in re.findall(r"[^.!?]+[.!?]*", text):
        if sentence.strip():
            out.append(spoken_form(sentence.strip(), rng) + ("." if rng.random() < 0.4 else ""))
    return " ".join(out).rstrip(".")


def sentence_examples(sentences: Sequence[Written], seed: int = SEED) -> list[tuple[str | None, Example]]:
    """(source, example) for each written sentence and its spoken-form twin (one already in spoken form gets a
    second variant)."""
    rng = random.Random(seed)
    every = frozenset(LABELS)
    out = []
    for w in sentences:
        out.append((w.source, Example(w.text, w.labels, every)))
        out.append((w.source, Example(spoken_form(w.text, rng), w.labels, every)))
    return out


def answer_examples(answer: Answer) -> list[Example]:
    """The answer's clauses (positives where they overlap an evidence quote) and the quotes themselves."""
    absent = frozenset(k for k in LABELS if not answer.labels[k])
    spans = []
    for label, quotes in answer.evidence.items():
        for q in quotes:
            i = answer.text.find(q)
            if i < 0:
                raise ValueError(f"{answer.id}: evidence for {label} is not a quote of the answer: {q!r}")
            spans.append((label, i, i + len(q)))
    out = []
    for c in split_clauses(answer.text):
        pos = set()
        for label, i, j in spans:
            common = min(j, c.end) - max(i, c.start)
            if common > 0 and (common >= 0.5 * (c.end - c.start) or common >= 0.5 * (j - i) or common >= OVERLAP_CHARS):
                pos.add(label)
        out.append(Example(c.text, frozenset(pos), absent | pos, answer.role))
    for label, i, j in spans:
        out.append(Example(answer.text[i:j], frozenset({label}), absent | {label}, answer.role))
    return out


class Featurizer:
    """Clause features with the embeddings cached by text (cross-validation embeds each text once)."""

    def __init__(self, encoder):
        self.encoder = encoder
        self.cache: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        new = sorted({t for t in texts if t not in self.cache})
        if new:
            for t, v in zip(new, self.encoder.embed(new)):
                self.cache[t] = v
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)

    def features(self, texts: Sequence[str], roles: Sequence[str | None], vocabulary: dict[str, int]) -> np.ndarray:
        hits = np.vstack([rule_hits([t], r) for t, r in zip(texts, roles)]) if texts else np.zeros((0, len(LABELS)))
        return clause_features(self.embed(texts), hits, cue_hits(texts), pair_hits(texts, vocabulary))


def pair_vocabulary(texts: Iterable[str], min_count: int = MIN_PAIR_COUNT) -> tuple[str, ...]:
    """The words and word pairs that at least min_count of the texts have, sorted (deterministic columns)."""
    counts: dict[str, int] = {}
    for t in texts:
        for g in word_pairs(t):
            counts[g] = counts.get(g, 0) + 1
    return tuple(sorted(g for g, n in counts.items() if n >= min_count))


@dataclass
class ClauseLayer:
    w: np.ndarray
    b: np.ndarray
    vocabulary: tuple[str, ...]

    def __post_init__(self):
        self.index = {g: j for j, g in enumerate(self.vocabulary)}


def fit_clause_layer(examples: Sequence[Example], feats: Featurizer, c: float = CLAUSE_C) -> ClauseLayer:
    """Per label, a logistic regression on clause features (the word-pair vocabulary from these examples)."""
    from sklearn.linear_model import LogisticRegression

    texts = [e.text for e in examples]
    vocabulary = pair_vocabulary(texts)
    index = {g: j for j, g in enumerate(vocabulary)}
    X = feats.features(texts, [e.role for e in examples], index)
    w = np.zeros((len(LABELS), X.shape[1]), np.float32)
    b = np.zeros(len(LABELS), np.float32)
    for j, label in enumerate(LABELS):
        keep = np.array([label in e.known for e in examples])
        y = np.array([label in e.positive for e in examples])[keep]
        m = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        m.fit(X[keep], y)
        w[j], b[j] = m.coef_[0], m.intercept_[0]
    return ClauseLayer(w, b, vocabulary)


def clause_probs(layer: ClauseLayer, answer: Answer, feats: Featurizer) -> np.ndarray:
    texts = [c.text for c in split_clauses(answer.text)]
    if not texts:
        return np.zeros((0, len(LABELS)))
    X = feats.features(texts, [answer.role] * len(texts), layer.index)
    return 1.0 / (1.0 + np.exp(-(X @ layer.w.T + layer.b)))


def folds(answers: Sequence[Answer], k: int) -> dict[str, int]:
    """Answers dealt round-robin into k folds after sorting by grade and form (each fold gets a share of both)."""
    order = sorted(answers, key=lambda a: (a.grade, a.form, a.id))
    return {a.id: r % k for r, a in enumerate(order)}


def fit(sentences: Sequence[Written], answers: Sequence[Answer], feats: Featurizer,
        inner_folds: int = INNER_FOLDS, log=None, synthetic: Sequence[Answer] | None = None) -> Weights:
    """Both layers, from the given answers and the written sentences not derived from other answers. The
    synthetic answers (default: load_synthetic()) train the answer layer only: their clause scores come from
    clause layers that never saw them, like the development answers' out-of-fold scores."""
    synthetic = load_synthetic() if synthetic is None else synthetic
    from sklearn.linear_model import LogisticRegression

    base = sentence_examples(sentences)
    per_answer = {a.id: answer_examples(a) for a in answers}

    def clause_layer(ids: Iterable[str]) -> ClauseLayer:
        ids = set(ids)
        ex = [e for source, e in base if source is None or source in ids]
        for i in sorted(ids):
            ex += per_answer[i]
        return fit_clause_layer(ex, feats)

    # answer layer: out-of-fold clause scores for every training answer
    inner = folds(answers, inner_folds)
    rows = {}
    for f in range(inner_folds):
        layer = clause_layer(a.id for a in answers if inner[a.id] != f)
        for a in answers:
            if inner[a.id] == f:
                rows[a.id] = answer_features(clause_probs(layer, a, feats))
        for n, a in enumerate(synthetic):
            if n % inner_folds == f:
                rows[a.id] = answer_features(clause_probs(layer, a, feats))
        if log:
            log(f"  inner fold {f + 1}/{inner_folds}")
    layer_answers = [*answers, *synthetic]
    A = np.stack([rows[a.id] for a in layer_answers])
    aw = np.zeros((len(LABELS), A.shape[1]), np.float32)
    ab = np.zeros(len(LABELS), np.float32)
    for j, label in enumerate(LABELS):
        y = np.array([bool(a.labels[label]) for a in layer_answers])
        if y.all() or not y.any():  # nothing to learn: a constant
            ab[j] = 20.0 if y.all() else -20.0
            continue
        m = LogisticRegression(C=ANSWER_C, max_iter=3000)
        m.fit(A, y)
        aw[j], ab[j] = m.coef_[0], m.intercept_[0]
    layer = clause_layer(a.id for a in answers)
    return Weights(layer.w, layer.b, aw, ab, layer.vocabulary)
