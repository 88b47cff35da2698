"""Prepared stories: the six reflection questions of the article, the outline built from the answers,
its gaps, and the check of a practice answer against it (on meaning: content words, stems, synonyms,
numbers and durations normalised, so a paraphrase still counts).

Saved as <recordings>/stories/<name>.md (readable, editable) and <name>.json.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from voice_interviewer import store
from voice_interviewer.content import bad_clauses, judge, split_sentences
from voice_interviewer.errors import UserError
from voice_interviewer.textnorm import key_terms

STORIES_DIR = "stories"


@dataclass(frozen=True)
class Reflection:
    key: str
    question: str


# The article's six reflection questions, in its order.
REFLECTIONS = (
    Reflection("goal", "What was the goal? What were you trying to achieve, and when and where was it?"),
    Reflection("outcome", "What was the outcome? What went wrong, and what did it cost?"),
    Reflection("factors", "What factors contributed to the failure? What was your own part in it?"),
    Reflection("strategies", "What strategies did you use to cope with it or fix it?"),
    Reflection("differently", "What would you do differently, and what do you do differently now?"),
    Reflection("learned", "What did you learn?"),
)

# Outline points: (key, label, the reflection it comes from, the question that fills it when missing)
POINTS = (
    ("situation", "situation and goal", "goal", "What were you trying to achieve, and when and where was it?"),
    ("what_happened", "what happened and what it cost", "outcome", "What went wrong, and what did it cost?"),
    ("ownership", "your own part", "factors", "What part of the failure was yours? What would you have done differently?"),
    ("response", "what you did about it", "strategies", "What did you do once you saw it had gone wrong?"),
    ("lesson", "the lesson", "learned", "What did you learn from it, in one sentence?"),
    ("applied", "what you do differently now", "differently", "What do you do differently now, and how do you know it works?"),
    ("ties_to_role", "why it matters for this job", None, "How will that lesson help you in the job you are applying for?"),
)
POINT_LABELS = {k: label for k, label, _, _ in POINTS}
# The most important points to say, first (used to pick what the spoken summary names).
IMPORTANCE = ("lesson", "ownership", "applied", "response", "what_happened", "situation", "ties_to_role")

MIN_WORDS = 4  # an answer shorter than this says nothing
SAID_SHARE = 0.35  # a point counts as said when this (weighted) share of its key terms is in the answer...
SAID_MIN_TERMS = 2  # ...and at least this many (or all of them)
NEW_CLAIM_MAX_OVERLAP = 0.34  # an answer sentence sharing less than a third of its terms with the outline is a new claim
NEW_CLAIM_MIN_TERMS = 3
KEY_TERMS_PER_POINT = 14

# Failures that would disqualify a candidate, whatever the role (the article: pick one that doesn't).
DISQUALIFYING = re.compile(
    r"\b(?:lied|lying|stole|stolen|theft|fraud|embezzl\w*|falsif\w*|fabricat\w*|cheat\w*|harass\w*|"
    r"drunk|intoxicated|fired for|discriminat\w*|bribe\w*|leaked|plagiari\w*|violence|assault\w*)\b", re.I)


def split_answers(text: str) -> list[str]:
    """Six blocks separated by blank lines (--answers FILE)."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    if len(blocks) > len(REFLECTIONS):
        raise UserError(f"the answers file has {len(blocks)} blocks; give at most {len(REFLECTIONS)} "
                        "(one per reflection question, separated by a blank line)", 2)
    return blocks + [""] * (len(REFLECTIONS) - len(blocks))


def _said(text: str) -> bool:
    return len(text.split()) >= MIN_WORDS


def build_outline(answers: dict[str, str], *, name: str, role: str | None = None) -> dict:
    """The story outline: each point with its text, the gaps (each with the question that fills it), warnings."""
    notes = " ".join(answers.get(r.key, "") for r in REFLECTIONS)
    content = judge(notes, role=role)
    labels = content["labels"]
    points: dict[str, str] = {}
    gaps = []
    for key, label, source, question in POINTS:
        text = answers.get(source, "").strip() if source else ""
        ok = _said(text)
        if key == "ownership" and ok:
            ok = labels["ownership"] or bool(re.search(r"\b(?:i|my)\b", text, re.I)) and not labels["blame"]
        if key == "lesson" and ok:
            ok = not re.fullmatch(r"(?:i )?(?:learned|learnt) (?:a lot|so much|nothing)\.?", text.strip().lower())
        if key == "ties_to_role":
            text = tie_line(role, answers.get("learned", ""))
            ok = bool(text)
        if ok:
            points[key] = text
        else:
            gaps.append({"point": key, "label": label, "question": question})
    warnings = []
    # a clear humblebrag, blame or excuse in any one note counts even beside a real story (which, judged as a
    # whole, owns its part and so is not "blame without owning a part")
    clear = bad_clauses(notes, role=role)

    def first_quote(label):
        return content["evidence"][label] if labels[label] else clear.get(label)

    if first_quote("fake_failure"):
        warnings.append("This reads as a humblebrag or a denial of failing; pick a real failure with a real cost.")
    if DISQUALIFYING.search(notes):
        warnings.append("This failure may disqualify you (honesty, safety or conduct); pick a different one.")
    if role and (skill := missing_core_skill(role, notes)):
        warnings.append(f'"{skill}" sounds like a core skill of a {role}; a failure that says you lack it may '
                        "disqualify you. Pick a failure outside the job's core, or show strong evidence it is fixed.")
    if quote := first_quote("blame"):
        warnings.append(f'Your notes blame others ("{quote}"); say what your own part was.')
    if quote := first_quote("excuses"):
        warnings.append(f'Your notes make an excuse ("{quote}"); state the cause plainly.')
    return {
        "name": name, "role": role, "created_at": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "answers": {r.key: answers.get(r.key, "") for r in REFLECTIONS},
        "points": points, "gaps": gaps, "warnings": warnings,
    }


def tie_line(role: str | None, lesson: str) -> str:
    """A suggested closing line tying the lesson to the job (only when the role is known)."""
    if not role:
        return ""
    core = lesson.strip().rstrip(".")
    core = re.sub(r"^(?:i (?:have )?(?:learned|learnt|realized|realised) (?:that )?)", "", core, flags=re.I)
    if not core:
        return f"As a {role}, I would bring what I learned from this to your team."
    return f"As a {role}, I would bring that lesson to your team: {core[0].lower() + core[1:]}."


SKILL_DEFICIT = re.compile(
    r"\b(?:i'?m|i am|i was) (?:just |really |very )?(?:not (?:very )?good|bad|terrible|weak|hopeless|poor) (?:at|with) ([\w ]{3,40})|"
    r"\b(?:i )?(?:can't|cannot|couldn't|don't know how to|never learned to|never learnt to) ([\w ]{3,40})", re.I)


def missing_core_skill(role: str, notes: str) -> str | None:
    """A statement that the person lacks a skill named in the role ("I'm not good with numbers" for an
    accountant is fine to spot only when the role's own words appear in it)."""
    role_terms = key_terms(role) - {"senior", "junior", "lead", "head"}
    for m in SKILL_DEFICIT.finditer(notes):
        phrase = (m.group(1) or m.group(2) or "").strip()
        if key_terms(phrase) & role_terms:
            return phrase
    return None


def stories_dir(root: Path) -> Path:
    return root / STORIES_DIR


def story_slug(name: str) -> str:
    s = store.slug(name, 60)
    if not s:
        raise UserError(f"story name {name!r} has no letters or digits", 2)
    return s


def save_story(root: Path, outline: dict) -> tuple[Path, Path]:
    d = store.ensure_private_dir(stories_dir(root))
    slug = story_slug(outline["name"])
    md, js = d / f"{slug}.md", d / f"{slug}.json"
    store.atomic_write_json(js, outline)
    store.atomic_write_text(md, outline_markdown(outline))
    return md, js


def outline_markdown(outline: dict) -> str:
    lines = [f"# Story: {outline['name']}", ""]
    if outline.get("role"):
        lines += [f"Role: {outline['role']}", ""]
    for w in outline.get("warnings") or []:
        lines.append(f"> Warning: {w}")
    if outline.get("warnings"):
        lines.append("")
    lines += ["## Outline", ""]
    for key, label, _, _ in POINTS:
        if key in outline["points"]:
            lines.append(f"- **{label}**: {outline['points'][key]}")
    if outline["gaps"]:
        lines += ["", "## Gaps to fill", ""]
        lines += [f"- **{g['label']}**: {g['question']}" for g in outline["gaps"]]
    lines += ["", "## Your notes", ""]
    for r in REFLECTIONS:
        lines += [f"**{r.question}**", "", outline["answers"].get(r.key) or "_(no answer)_", ""]
    return "\n".join(lines)


def list_stories(root: Path) -> list[dict]:
    d = stories_dir(root)
    out = []
    for p in sorted(d.glob("*.json")) if d.is_dir() else []:
        try:
            doc = json.loads(p.read_text(encoding="utf-8"))
            out.append({"name": doc.get("name", p.stem), "file": str(p), "role": doc.get("role"),
                        "gaps": len(doc.get("gaps", [])), "created_at": doc.get("created_at")})
        except (json.JSONDecodeError, OSError):
            out.append({"name": p.stem, "file": str(p), "error": "damaged"})
    return out


def load_story(root: Path, name: str) -> dict:
    d = stories_dir(root)
    p = d / f"{story_slug(name)}.json"
    if not p.is_file():
        names = [s["name"] for s in list_stories(root)]
        hint = f"; saved stories: {', '.join(names)}" if names else "; prepare one with `voice-interviewer prepare`"
        raise UserError(f"no story named {name!r}{hint}", 2)
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, OSError):
        raise UserError(f"{p}: the story file is damaged", 2) from None


def compare(outline: dict, text: str) -> dict:
    """Which outline points the answer said, which it left out, and which sentences are new claims.

    A point's terms are weighted by how specific they are to it (1 / the number of points that use the
    term), so the story's shared words ("billing", "invoices") do not make every point look said."""
    sentences = split_sentences(text)
    # a point is said in one place: a sentence, or two next to each other (not words scattered over the answer)
    windows = [key_terms(s.text) for s in sentences]
    windows += [a | b for a, b in zip(windows, windows[1:])]
    point_terms = {key: _point_terms(outline["points"][key]) for key, *_ in POINTS if key in outline["points"]}
    df: dict[str, int] = {}
    for terms in point_terms.values():
        for t in terms:
            df[t] = df.get(t, 0) + 1
    said, left_out = [], []
    for key, label, _, _ in POINTS:
        terms = point_terms.get(key)
        if not terms:
            continue
        total = sum(1 / df[t] for t in terms)
        share, hits = 0.0, 0
        for w in windows:
            hit = terms & w
            score = sum(1 / df[t] for t in hit) / total
            if score > share:
                share, hits = score, len(hit)
        ok = share >= SAID_SHARE and hits >= min(SAID_MIN_TERMS, len(terms))
        (said if ok else left_out).append({"point": key, "label": label, "match": round(share, 2)})
    every_point = set().union(*point_terms.values()) if point_terms else set()
    new_claims = []
    for s in sentences:
        terms = key_terms(s.text)
        if len(terms) >= NEW_CLAIM_MIN_TERMS and len(terms & every_point) / len(terms) < NEW_CLAIM_MAX_OVERLAP:
            new_claims.append(s.text)
    order = {k: i for i, k in enumerate(IMPORTANCE)}
    left_out.sort(key=lambda p: order.get(p["point"], 99))
    return {"name": outline.get("name"), "said": said, "left_out": left_out, "new_claims": new_claims}


def _point_terms(text: str) -> set[str]:
    """The terms that identify a point: its rarest content words (long, specific ones), capped."""
    terms = sorted(key_terms(text), key=lambda t: (not t[0].isdigit(), -len(t)))
    return set(terms[:KEY_TERMS_PER_POINT])


def attach_story(analysis: dict, outline: dict) -> dict:
    """Add the `story` section to an analysis and make the spoken summary name the main point left out."""
    text = (analysis.get("transcript") or {}).get("text") or ""
    result = compare(outline, text)
    analysis["story"] = result
    content = analysis.get("content")
    if content and result["left_out"]:
        first = result["left_out"][0]["label"]
        lead = content.get("spoken_summary", "").split(". ")[0].rstrip(".")
        summary = f"{lead}. Compared with your prepared story, you left out {first}."
        content["spoken_summary"] = " ".join(summary.split()[:45])
    return result


def print_story_feedback(story: dict, console) -> None:
    from rich.markup import escape

    console.print(f"[bold]Against your story '{escape(story.get('name') or '')}':[/bold]")
    for p in story["said"]:
        console.print(f"  [green]said[/green]      {p['label']}")
    for p in story["left_out"]:
        console.print(f"  [red]left out[/red]  {p['label']}")
    for c in story["new_claims"]:
        console.print(f'  [yellow]new[/yellow]       "{escape(c)}"')
