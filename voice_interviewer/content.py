"""Content coaching: what the answer says, judged against the advice for failure questions.

The advice (../shared/seed/, ../shared/eval/LABELS.md): tell a specific story (situation), say what you
did about it (action) and how it turned out (result), own your part (ownership), say what you learned
(lesson) and what you do differently since (applied), tie it to the job (ties_to_role); avoid blaming
others (blame), excuses, and fake failures (humblebrags or "I never fail").

Each label is decided by meaning (content_model): the answer is cut into clauses, a small sentence encoder
turns each clause into a vector, a classifier per label scores each clause (the word patterns of
content_rules are features beside the vector, never the decision), and an answer-level layer turns the
clause scores into the ten labels. The clause that scores highest for a true label is its evidence, quoted
exactly from the transcript. The grade follows from the labels by the rule in LABELS.md; the tips ask only
for what the labels say is missing, the one that would raise the grade most first.
"""
from __future__ import annotations

import itertools
import re
from typing import Sequence

import numpy as np

from voice_interviewer import content_model
from voice_interviewer.config import DEFAULT_THRESHOLDS, Thresholds
from voice_interviewer.content_rules import (BAD, DESCRIPTIONS, GOOD, LABELS, Sentence, pronouns, specificity,
                                             split_clauses, split_sentences)

__all__ = ["LABELS", "GOOD", "BAD", "DESCRIPTIONS", "Sentence", "split_sentences", "split_clauses", "judge", "grade",
           "follow_up_need", "checklist", "pronouns", "specificity", "preload", "bad_clauses"]

GRADES = ("weak", "adequate", "strong")
STRONG_MIN_GOOD = 5
WEAK_BELOW_GOOD = 3
DECISION = 0.5  # answer-layer probability at which a label holds
RESPONSE = ("action", "lesson", "applied", "ties_to_role")  # clauses about the response, not the failure
DWELLING_MIN_WORDS = 40  # too short an answer to say where its weight lies
MIN_WORDS = 3  # fewer words than this is no answer at all

preload = content_model.preload


def grade(labels: dict[str, bool]) -> str:
    """The rule of LABELS.md. weak: a fake failure or blame, or neither lesson nor applied, or fewer than 3 good
    labels; strong: otherwise, with situation and ownership, at least 5 good labels and no excuses; else adequate."""
    good = sum(bool(labels.get(k)) for k in GOOD)
    if labels.get("fake_failure") or labels.get("blame") or not (labels.get("lesson") or labels.get("applied")) \
            or good < WEAK_BELOW_GOOD:
        return "weak"
    if labels.get("situation") and labels.get("ownership") and good >= STRONG_MIN_GOOD and not labels.get("excuses"):
        return "strong"
    return "adequate"


# The grade is decided from the label probabilities, not from each label cut at DECISION on its own: one label
# near 0.5 can move the grade two steps (an excuse at 0.45 is the difference between strong and adequate). The
# grade said is the one with the least expected distance (in grade steps) from the true grade, the labels taken as
# independent with the answer layer's probabilities; two steps wrong (strong called weak) costs twice one step.
# The labels said are then the most probable labels that give that grade by the rule, so the grade still follows
# from the labels shown: they differ from the labels cut at DECISION only when those would give another grade.
_ALL_LABELS = np.array(list(itertools.product((False, True), repeat=len(LABELS))), bool)  # every combination


def _grade_index(labels: dict[str, bool]) -> int:
    return GRADES.index(grade(labels))


_ALL_GRADES = np.array([_grade_index(dict(zip(LABELS, row))) for row in _ALL_LABELS])
_STEPS = np.abs(np.subtract.outer(np.arange(len(GRADES)), np.arange(len(GRADES))))  # grade distance


def decide(answer_p: np.ndarray) -> dict[str, bool]:
    """The labels from the answer layer's probabilities (LABELS order), chosen so their grade is the least
    expected distance from the true grade (see above)."""
    p = np.clip(np.asarray(answer_p, float), 1e-9, 1 - 1e-9)
    log_p = np.where(_ALL_LABELS, np.log(p), np.log1p(-p)).sum(axis=1)
    chance = np.exp(log_p - log_p.max())
    per_grade = np.array([chance[_ALL_GRADES == g].sum() for g in range(len(GRADES))]) / chance.sum()
    expected_steps = _STEPS @ per_grade
    cut = p >= DECISION
    cut_grade = _grade_index(dict(zip(LABELS, cut)))
    best = int(np.argmin(expected_steps))
    if expected_steps[cut_grade] <= expected_steps[best]:  # a tie keeps the labels as cut
        return {k: bool(v) for k, v in zip(LABELS, cut)}
    rows = np.flatnonzero(_ALL_GRADES == best)
    return {k: bool(v) for k, v in zip(LABELS, _ALL_LABELS[rows[np.argmax(log_p[rows])]])}


# --- balance: the failure vs. the response ---------------------------------------------------------

def balance(clauses: Sequence[Sentence], probs: np.ndarray, words=None,
            thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """Share of the answer on the failure itself vs. the response, lesson and what changed (by clause scores)."""
    cols = [LABELS.index(k) for k in RESPONSE]
    spans = _clause_times(clauses, words) if words else [None] * len(clauses)
    failure_words = response_words = 0
    failure_s = response_s = 0.0
    for i, (c, span) in enumerate(zip(clauses, spans)):
        n = len(c.text.split())
        is_response = bool(len(probs) and probs[i, cols].max() >= DECISION)
        if is_response:
            response_words += n
        else:
            failure_words += n
        if span:
            if is_response:
                response_s += span[1] - span[0]
            else:
                failure_s += span[1] - span[0]
    total = failure_words + response_words
    share = failure_words / total if total else 0.0
    out = {"failure_words": failure_words, "response_words": response_words, "failure_share": round(share, 2),
           "dwelling": bool(total >= DWELLING_MIN_WORDS and share > thresholds.dwelling_share)}
    if words:
        out["failure_seconds"] = round(failure_s, 1)
        out["response_seconds"] = round(response_s, 1)
    return out


def _clause_times(clauses: Sequence[Sentence], words) -> list[tuple[float, float] | None]:
    """Map clauses of the clean text onto the (non-filler) timed words, in order."""
    timed = [w for w in words if not getattr(w, "filler", False)]
    out, k = [], 0
    for c in clauses:
        n = len(c.text.split())
        chunk = timed[k:k + n]
        k += n
        out.append((chunk[0].start, chunk[-1].end) if chunk else None)
    return out


# --- tips and the spoken summary ------------------------------------------------------------------

def _topic(sentence: str | None) -> str:
    """A few words naming the failure, from the answer's own words ("the time I failed to ship the release")."""
    if not sentence:
        return "that"
    m = re.search(r"\b(?:failed to|didn't|did not|missed|lost|forgot to|couldn't|could not)\s+((?:\w+\s?){1,6})",
                  sentence, re.I)
    if m:
        return "the time I " + m.group(0).strip().rstrip(",.")
    return "that"


# (label the tip addresses, the value that label should have, tip); suggestions are built in _tip_candidates.
TIP_TEXT = {
    "fake_failure": "Pick a real failure. A humblebrag or 'I never fail' reads as evasive; interviewers want to see how "
                    "you handle a setback.",
    "situation": "Tell one specific story: when it happened, what the project or task was, and what went wrong.",
    "blame": "Own your part instead of pointing at others: say what you could have done differently.",
    "lesson": "Say outright what you learned.",
    "applied": "Say what you do differently since, with an example that shows it works.",
    "ownership": "Say plainly what your own mistake was.",
    "excuses": "Drop the excuse; state the cause plainly and move on to what you did about it.",
    "action": "Say what you did once it went wrong: who you told, what you fixed.",
    "result": "Say how it turned out: what it cost, or how the fix went.",
    "ties_to_role": "Close by tying the lesson to this job.",
    "dwelling": "Spend less time on the failure and more on what you did and learned.",
}
# Among tips that raise the grade equally, the order the article's advice gives them.
TIP_PRIORITY = ("fake_failure", "situation", "blame", "lesson", "applied", "ownership", "excuses", "action", "result",
                "ties_to_role", "dwelling")


def _tip_candidates(labels: dict, evidence: dict, clauses: Sequence[Sentence], bal: dict) -> list[dict]:
    first = clauses[0].text if clauses else None
    story = evidence.get("situation") or first
    topic = _topic(story)
    fake = labels["fake_failure"]
    out = []

    def add(key, quote, suggestion):
        out.append({"tip": TIP_TEXT[key], "quote": quote, "suggestion": suggestion, "label": key})

    if fake:
        add("fake_failure", evidence.get("fake_failure"),
            "One time I missed a deadline because I underestimated the work. Here is what I did about it...")
    if not labels["situation"] and not fake:
        add("situation", first, "In my last role, I was responsible for ... and it went wrong when ...")
    if labels["blame"]:
        add("blame", evidence.get("blame"), "Looking back, my part was that I should have raised the risk earlier.")
    if labels["excuses"]:
        add("excuses", evidence.get("excuses"), "The cause was mine: I should have planned for it. What I did next was ...")
    if not labels["ownership"] and not labels["blame"] and not fake and labels["situation"]:
        add("ownership", story, "My mistake was that I ...")
    if not labels["lesson"] and not fake:
        add("lesson", story, f"What I learned from {topic} was that I need to ...")
    if not labels["applied"] and not fake:
        add("applied", evidence.get("lesson") or story, "Since then, I ... and on my next project that meant ...")
    if not labels["action"] and labels["situation"] and not fake:
        add("action", story, "As soon as I saw it, I told my manager and ...")
    if not labels["result"] and labels["situation"] and not fake:
        add("result", story, "It cost us ... and once I had fixed it, ...")
    if bal.get("dwelling"):
        add("dwelling", story, "Keep the failure to two sentences, then: what I did, what I learned, what I do now.")
    if not labels["ties_to_role"] and labels["situation"] and not fake:
        add("ties_to_role", evidence.get("lesson") or evidence.get("applied"),
            "That is exactly how I would approach ... in this role.")
    return out


def _gain(labels: dict, key: str) -> int:
    """How many grade steps the answer would rise if this tip were taken (and nothing else changed)."""
    if key not in LABELS:
        return 0
    changed = dict(labels)
    changed[key] = key not in BAD
    if key == "blame":  # owning a part is the cure for blame
        changed["ownership"] = True
    return GRADES.index(grade(changed)) - GRADES.index(grade(labels))


def tips(labels: dict, evidence: dict, clauses: Sequence[Sentence], bal: dict, limit: int) -> list[dict]:
    """The tips for what is missing or wrong, the one that raises the grade most first."""
    candidates = _tip_candidates(labels, evidence, clauses, bal)
    candidates.sort(key=lambda t: (-_gain(labels, t["label"]), TIP_PRIORITY.index(t["label"])))
    return candidates[:limit]


STRENGTHS = (
    ("ownership", "You owned your part clearly"),
    ("lesson", "You said what you learned"),
    ("applied", "You showed what you do differently now"),
    ("situation", "You told a specific story"),
    ("action", "You said what you did about it"),
    ("ties_to_role", "You tied it to the job"),
)


def spoken_summary(labels: dict, tip_list: list[dict], grade_: str, max_words: int) -> str:
    good = next((msg for key, msg in STRENGTHS if labels.get(key)), None)
    if labels.get("fake_failure"):
        good = None
    first = good + "." if good else "Thanks for your answer."
    if tip_list:
        change = tip_list[0]["tip"].split(":")[0].split(";")[0].split(". ")[0].rstrip(".")
        second = f"The one change that would help most: {change[0].lower() + change[1:]}."
    else:
        second = "Keep it this way, and keep it under two minutes."
    text = f"Overall {grade_}. {first} {second}"
    text = re.sub(r"[^A-Za-z0-9 ,.'?!-]", "", text)
    words = text.split()
    if len(words) > max_words:
        text = " ".join(words[:max_words]).rstrip(",") + "."
    return text


# --- the entry point ------------------------------------------------------------------------------

def judge(text: str, words: Sequence | None = None, *, role: str | None = None, values: Sequence[str] | None = None,
          question: str | None = None, thresholds: Thresholds = DEFAULT_THRESHOLDS,
          model: content_model.Judge | None = None) -> dict:
    """The `content` section of analysis.json for one answer (clean transcript text, optional timed words).
    `model`: a loaded content_model.Judge (default: the installed one, loaded once per process)."""
    text = text or ""
    clauses = split_clauses(text)
    too_short = len(text.split()) < MIN_WORDS
    model = model or content_model.load()
    probs, answer_p = model.score([c.text for c in clauses], role, list(values or ()))
    labels = {k: False for k in LABELS} if too_short else decide(answer_p)
    evidence = {}
    for j, k in enumerate(LABELS):
        if labels[k] and len(clauses):
            evidence[k] = clauses[int(np.argmax(probs[:, j]))].text
    g = grade(labels)
    bal = balance(clauses, probs, words, thresholds)
    tip_list = tips(labels, evidence, clauses, bal, thresholds.max_tips)
    if too_short:
        tip_list = [{"tip": "Tell a specific story: when it happened, what went wrong, and what you did.",
                     "quote": None, "suggestion": "One time I ...", "label": "situation"}]
    return {
        "labels": labels,
        "evidence": evidence,
        "scores": {k: round(float(answer_p[j]), 3) for j, k in enumerate(LABELS)},
        "grade": g,
        "pronouns": pronouns(text),
        "balance": bal,
        "specificity": specificity(text),
        "tips": tip_list,
        "spoken_summary": spoken_summary(labels, tip_list, g, thresholds.spoken_summary_max_words),
    }


CLEAR_CLAUSE = 0.9  # a clause this sure of a bad label is worth a warning on its own (notes, not answers)


def bad_clauses(text: str, *, role: str | None = None, model: content_model.Judge | None = None) -> dict[str, str]:
    """{bad label: the clause that shows it} for clauses the clause layer is sure of, whatever the rest says.
    For preparation notes: the answer-level layer weighs a whole story (blame there means blame *without*
    owning a part), while a note that blames or brags deserves a word even beside a good story."""
    clauses = split_clauses(text or "")
    if not clauses:
        return {}
    probs, _ = (model or content_model.load()).score([c.text for c in clauses], role)
    out = {}
    for k in BAD:
        j = LABELS.index(k)
        i = int(np.argmax(probs[:, j]))
        if probs[i, j] >= CLEAR_CLAUSE:
            out[k] = clauses[i].text
    return out


def follow_up_need(content: dict | None) -> str | None:
    """What a follow-up question should ask for, most important first: "blame", "ownership", "lesson",
    "applied"; None when the answer has them all."""
    if not content:
        return None
    labels = content.get("labels") or {}
    if labels.get("blame"):
        return "blame"
    for key in ("ownership", "lesson", "applied"):
        if not labels.get(key):
            return key
    return None


def checklist(content: dict) -> list[tuple[str, str, str | None]]:
    """(mark, description, quote) per label for display: "x" done, " " missing, "!" a problem."""
    labels = content.get("labels") or {}
    evidence = content.get("evidence") or {}
    out = []
    for name in LABELS:
        value = bool(labels.get(name))
        bad = name in BAD
        mark = ("!" if value else "x") if bad else ("x" if value else " ")
        desc = DESCRIPTIONS[name] if not bad else ("no " + DESCRIPTIONS[name] if not value else DESCRIPTIONS[name])
        out.append((mark, desc, evidence.get(name) if value else None))
    return out
