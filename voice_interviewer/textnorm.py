"""Text normalisation for comparing what was said with what was meant: numbers as digits, durations in
days, spelling variants merged, and a light stemmer, so "fifty" matches "50" and "two weeks" "14 days"."""
from __future__ import annotations

import re

ONES = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                    "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
SPELLING = [(r"(\w)is(e|ed|es|ing|ation)\b", r"\1iz\2"), (r"(\w)our\b", r"\1or"), (r"programme", "program"),
            (r"\bok\b", "okay")]
DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "fortnight": 14, "month": 30, "months": 30, "year": 365, "years": 365}
STOPWORDS = set("""a an the and or but so of to in on at for with by from as is was were be been being am are it its this
that these those i me my we our us you your he she they them their his her there here then than very really just also
had have has do did does not no yes if when while about into out up down over after before again because which who
what how all any some more most other such only own same too can will would could should may might must one time
um uh like know mean sort kind basically actually literally okay well""".split())


def numbers_to_digits(tokens: list[str]) -> list[str]:
    """["three", "hundred", "and", "fifty"] -> ["350"]; ["thirty", "one"] -> ["31"]; ["nine", "one"] -> ["9", "1"]
    (digits read out one by one are so many numbers, not their sum)."""
    out, value, last = [], 0, None  # last: the kind of number word before ("ones", "tens", "scale"), None outside one
    tokens = tokens + ["<end>"]
    for i, t in enumerate(tokens):
        kind = "ones" if t in ONES else "tens" if t in TENS else "scale" if last and t in SCALES else None
        if kind in ("ones", "tens") and last in ("ones", "tens") and not (kind == "ones" and last == "tens"
                                                                      and value % 10 == 0):
            out.append(str(value))  # "nine one", "twenty thirty", "twenty one two": a new number begins
            value, last = 0, None
        if kind in ("ones", "tens"):
            value += ONES.get(t, 0) + TENS.get(t, 0)
            last = kind
        elif kind == "scale":
            value = max(value, 1) * SCALES[t]
            last = kind
        elif last == "scale" and t == "and" and (tokens[i + 1] in ONES or tokens[i + 1] in TENS):
            continue  # "three hundred and fifty"
        else:
            if last:
                out.append(str(value))
                value, last = 0, None
            if t != "<end>":
                out.append(t)
    return out


# A number as Whisper writes it: optional currency, digits (with thousands commas, a decimal part), and a suffix.
WRITTEN_NUMBER = re.compile(r"^([$£€]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(st|nd|rd|th|s|k|m|%)?$", re.IGNORECASE)
SAID_AFTER = {"$": "dollars", "£": "pounds", "€": "euros", "k": "thousand", "m": "million", "%": "percent"}
EDGE_PUNCTUATION = ".,;:!?\"'()[]"


def spoken_length(token: str) -> int:
    """How many words it takes to say a written token: 1 for a word, more for a number the model wrote in digits
    ("$50" is "fifty dollars", "250" "two hundred and fifty", "2022" "twenty twenty-two", "70%" "seventy percent"),
    so that pace counts what was said. Number words count one each ("thirty-one" is two), as people say them."""
    core = token.strip(EDGE_PUNCTUATION)
    parts = core.split("-")
    if len(parts) > 1 and any(WRITTEN_NUMBER.match(p) for p in parts):  # "300-person", said as three words
        return sum(spoken_length(p) for p in parts if p)
    m = WRITTEN_NUMBER.match(core)
    if not m:
        return 1
    from num2words import num2words  # only for the few tokens that are numbers

    currency, digits, decimals, suffix = m.group(1), m.group(2).replace(",", ""), m.group(3), (m.group(4) or "").lower()
    value = int(digits)
    if decimals:
        words = num2words(float(digits + decimals))
    elif suffix in ("st", "nd", "rd", "th"):
        words = num2words(value, to="ordinal")
    elif (suffix in ("", "s") and not currency and len(digits) == 4 and "," not in m.group(2)
          and 1100 <= value <= 2099):
        words = num2words(value, to="year")  # "1990", "the 1990s", "2022": said as a year
    else:
        words = num2words(value)
    extra = (currency in SAID_AFTER) + (suffix in SAID_AFTER)
    return len(words.replace("-", " ").replace(",", " ").split()) + extra


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, numbers as digits, spellings merged, durations as "<n>days"."""
    text = text.lower().replace("-", " ").replace("%", " percent").replace("$", " dollars ")
    text = re.sub(r"(\d),(\d)", r"\1\2", text)
    for pattern, repl in SPELLING:
        text = re.sub(pattern, repl, text)
    toks = numbers_to_digits(re.findall(r"[a-z0-9']+", text))
    out = []
    i = 0
    while i < len(toks):
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if t.isdigit() and nxt in DAYS:
            out.append(f"{int(t) * DAYS[nxt]}days")
            i += 2
            continue
        if t in ("a", "one") and nxt in DAYS and nxt.rstrip("s") == nxt:
            out.append(f"{DAYS[nxt]}days")
            i += 2
            continue
        out.append(t)
        i += 1
    return out


IRREGULAR = {"lost": "lose", "made": "make", "took": "take", "told": "tell", "gave": "give", "ran": "run", "sent": "send",
             "went": "go", "got": "get", "forgot": "forget", "broke": "break", "wrote": "write", "spent": "spend",
             "chose": "choose", "kept": "keep", "left": "leave", "led": "lead", "thought": "think", "knew": "know",
             "saw": "see", "said": "say", "began": "begin", "became": "become", "brought": "bring", "bought": "buy",
             "built": "build", "caught": "catch", "came": "come", "fell": "fall", "felt": "feel", "found": "find",
             "grew": "grow", "heard": "hear", "held": "hold", "meant": "mean", "met": "meet", "paid": "pay",
             "sold": "sell", "taught": "teach", "understood": "understand", "won": "win", "missed": "miss"}
# Words people use for the same thing in these stories; each maps to the group's first word.
SYNONYM_GROUPS = [("client", "customer", "account"), ("boss", "manager", "lead", "supervisor"),
                  ("colleague", "coworker", "teammate"), ("mistake", "error", "failure", "fault"),
                  ("learn", "realiz", "understand", "lesson"), ("deadline", "due"), ("fix", "correct", "repair"),
                  ("check", "verify", "review", "test"), ("plan", "schedule"), ("apologiz", "sorry", "apolog")]

def stem(word: str) -> str:
    """A light suffix stripper: enough to match "apologised"/"apology", "planning"/"plan"."""
    for suffix in ("ations", "ation", "ments", "ment", "ness", "ingly", "ings", "ing", "edly", "ies", "ied", "ed",
                   "ers", "er", "ly", "es", "s", "y", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]  # "planned" -> "plann" -> "plan"
    return word


SYNONYMS = {stem(w): stem(g[0]) for g in SYNONYM_GROUPS for w in g}


def key_terms(text: str) -> set[str]:
    """The content words of a text, stemmed (numbers and durations kept as they are)."""
    out = set()
    for t in tokens(text):
        if t in STOPWORDS or len(t) < 3 and not t.isdigit():
            continue
        if t[0].isdigit():
            out.add(t)
            continue
        s = stem(IRREGULAR.get(t, t))
        out.add(SYNONYMS.get(s, s))
    return out
