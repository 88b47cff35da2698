"""Filler words: which words of a transcript are fillers, and which fillers the model left out.

Hesitation fillers (um, uh, er, ...) are always fillers. Discourse fillers ("like", "you know", ...)
have real uses too ("I like Python", "you know the answer"), so they count only in filler position.
"""
from __future__ import annotations

import re
from typing import Sequence

from voice_interviewer.records import FillerItem, Word
from voice_interviewer.transcribe import RawWord

# Spellings Whisper uses for hesitations, mapped to the canonical form reported in by_word.
HESITATIONS = {
    "um": "um", "umm": "um", "ummm": "um", "uhm": "um", "mm": "um", "mmm": "um", "hmm": "hmm", "hm": "hmm",
    "uh": "uh", "uhh": "uh", "uhhh": "uh", "er": "uh", "erm": "um", "ah": "uh", "ahh": "uh", "eh": "uh",
}
# Multi-word discourse fillers first, so "you know" is matched before "you".
DISCOURSE = ("you know", "i mean", "sort of", "kind of", "like", "basically", "actually", "literally")

# A prompt written in a verbatim style, with fillers in it, makes Whisper keep the fillers it hears.
VERBATIM_PROMPT = "Um, so, uh, I was, like, you know, uh, thinking that, um, we should, uh, go."


def norm(token: str) -> str:
    return re.sub(r"[^a-z0-9']", "", token.lower())


def is_hesitation(token: str) -> bool:
    """"um", "Uh," ...; not an abbreviation spelt with stops between its letters ("U.M.")."""
    return norm(token) in HESITATIONS and not re.search(r"[A-Za-z]\.[A-Za-z]", token)


def tag_fillers(raw: Sequence[RawWord] | Sequence[Word], pause_after: Sequence[bool] | None = None) -> list[Word]:
    """Words with `filler` set: hesitations always, discourse fillers only in filler position.

    `pause_after[i]` says the speaker paused right after word i (heard in the audio): a "like" or
    "you know" set off by a pause is a filler even when the transcript has no comma there."""
    words = [Word(w.word, w.start, w.end, w.probability, False, getattr(w, "source", "asr"),
                  getattr(w, "low_confidence", False)) for w in raw]
    # A pause heard after a word is the comma the model may have left out.
    set_off = [w.word.endswith((",", ";", ":")) or bool(pause_after and pause_after[i]) for i, w in enumerate(words)]
    for w in words:
        if is_hesitation(w.word):
            w.filler = True
    i = 0
    while i < len(words):
        n = _discourse_filler_len(words, i, set_off)
        for k in range(n):
            words[i + k].filler = True
        i += max(n, 1)
    return words


def _discourse_filler_len(words: list[Word], i: int, comma_after: Sequence[bool]) -> int:
    """How many words starting at i form a discourse filler used as a filler (0 if none).
    `comma_after[k]`: word k is followed by a comma or a heard pause."""
    tokens = [norm(w.word) for w in words[i : i + 2]]
    for phrase in DISCOURSE:
        parts = phrase.split()
        if tokens[: len(parts)] != parts:
            continue
        j = i + len(parts) - 1
        # the word before, past any "uh" (in "what, uh, kind of pain" the phrase still follows "what")
        k = i - 1
        while k >= 0 and is_hesitation(words[k].word):
            k -= 1
        prev = words[k].word if k >= 0 else ""
        nxt = norm(words[j + 1].word) if j + 1 < len(words) else ""
        comma_before = i > 0 and comma_after[i - 1]
        set_off = comma_after[j] or comma_before or prev.endswith((".", "?", "!")) or i == 0
        if phrase == "like":
            # "like," or ", like" marks a filler; "I like X", "looks like X" does not
            if comma_after[j] or (comma_before and nxt not in {"a", "an", "the", "this", "that"}):
                return 1
            return 0
        if phrase in ("you know", "i mean"):
            # "you know the answer" is a verb phrase; "you know," / ", you know" is a filler
            if comma_after[j] or (comma_before and not nxt) or nxt in {"", "um", "uh"}:
                return len(parts)
            return 0
        if phrase in ("sort of", "kind of"):
            # "a kind of tool" is a noun phrase; "I kind of missed it" is a hedge
            prev_n = norm(prev)
            if prev_n in {"a", "the", "this", "that", "what", "some", "any", "every", "one", "same"}:
                return 0
            return len(parts)
        if set_off:  # basically, actually, literally set off by punctuation
            return 1
        return 0
    return 0


def canonical(word: Word) -> str:
    n = norm(word.word)
    return HESITATIONS.get(n, n)


def filler_items(words: Sequence[Word]) -> list[FillerItem]:
    """Join tagged words into filler items ("you" + "know" -> one "you know")."""
    items: list[FillerItem] = []
    i = 0
    while i < len(words):
        w = words[i]
        if not w.filler:
            i += 1
            continue
        if not is_hesitation(w.word) and i + 1 < len(words) and words[i + 1].filler:
            pair = f"{norm(w.word)} {norm(words[i + 1].word)}"
            if pair in DISCOURSE:
                items.append(FillerItem(pair, w.start, words[i + 1].end, w.source))
                i += 2
                continue
        items.append(FillerItem(canonical(w), w.start, w.end, w.source))
        i += 1
    return items


# A dropped hesitation sounds like a held vowel or hum: voiced, with a steady pitch, for a while (a quarter
# second or more; shorter "uh"s come from the verbatim reading: down to 0.12 s, this path found 1 more of 48
# on the neural-voice set at 14 % more time, each candidate being a pass of its own).
HESITATION_MIN_VOICED_S = 0.25
HESITATION_MAX_PITCH_SD_ST = 1.5


def voiced_hesitation(clip, sample_rate: int = 16_000) -> tuple[float, float] | None:
    """(start, end) in seconds inside `clip` of a steady voiced run long enough to be um/uh, or None."""
    import numpy as np

    if clip.size < int(HESITATION_MIN_VOICED_S * sample_rate):
        return None
    import parselmouth

    snd = parselmouth.Sound(np.asarray(clip, dtype=np.float64), sampling_frequency=sample_rate)
    pitch = snd.to_pitch(time_step=0.01, pitch_floor=75.0, pitch_ceiling=500.0)
    f0 = pitch.selected_array["frequency"]
    times = pitch.xs()
    best = None
    run_start = None
    for i, hz in enumerate(list(f0) + [0.0]):
        if hz > 0 and run_start is None:
            run_start = i
        elif hz <= 0 and run_start is not None:
            run = f0[run_start:i]
            if (i - run_start) * 0.01 >= HESITATION_MIN_VOICED_S:
                sd = float(np.std(12 * np.log2(run / np.median(run))))
                if sd <= HESITATION_MAX_PITCH_SD_ST and (best is None or i - run_start > best[1] - best[0]):
                    best = (run_start, i)
            run_start = None
    if best is None:
        return None
    return float(times[best[0]]) - 0.005, float(times[best[1] - 1]) + 0.005
