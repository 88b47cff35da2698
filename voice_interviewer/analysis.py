"""The pipeline for one answer: samples -> transcript (fillers kept) -> delivery + content -> analysis dict.

`analyze_samples` returns the analysis.json document (schema_version SCHEMA_VERSION); the keys are a
contract that reports, history and other tools read (see README "analysis.json").
"""
from __future__ import annotations

import bisect
import difflib
import itertools
import math
import datetime as _dt
from dataclasses import asdict, dataclass, replace
from typing import Sequence, TypeVar

import numpy as np

from voice_interviewer import __version__, content as content_mod
from voice_interviewer.config import DEFAULT_THRESHOLDS, SAMPLE_RATE, SCHEMA_VERSION, Thresholds
from voice_interviewer.delivery import measure, words_said
from voice_interviewer.fillers import VERBATIM_PROMPT, is_hesitation, tag_fillers, voiced_hesitation
from voice_interviewer.fillers import norm as fillers_norm
from voice_interviewer.hesitation import Hesitation, add_hesitations, midpoint
from voice_interviewer.hesitation import in_clip as hesitations_in
from voice_interviewer.records import Transcript, Word
from voice_interviewer.textnorm import numbers_to_digits, spoken_length
from voice_interviewer.transcribe import (ENCODER_FRAME_S, MIN_WORD_S, WINDOW_S, Engine, RawSegment, RawWord,
                                         flatten_words, read_twice)
from voice_interviewer.vad import (CHUNK_MARGIN_S, SPEECH_LEVEL_DB, Region, Window, at_speech_level, frame_db,
                                  group_regions, kept_spans, silence_floor_db, speech_level_db, speech_regions,
                                  speech_seconds, split_windows)

NO_SPEECH = "no speech detected"
NOT_ENGLISH = "did not sound like English to the model"
# A reading that loops (any of these) gives way to the other reading.
MAX_WORDS_PER_S = 6.0
MAX_COMPRESSION_RATIO = 2.4
# the same three words written this many times where a phrase (up to LOOP_PHRASE_WORDS words) is written over and
# over back to back; a phrase said again further on is speech, not a loop ("it would come and go" four times in
# 25 s of a patient's answer, read alike twice)
MAX_REPEATED_TRIGRAMS = 4
LOOP_PHRASE_WORDS = 16
MAX_LOOP_WORDS = 8  # the longest phrase a looping reading repeats that is written once (`said_once`)
# Whisper's own rule for text it made up in a silence: it thinks there is no speech and is unsure of the words.
NO_SPEECH_PROB = 0.6
MIN_AVG_LOGPROB = -1.0
# A word the model is unsure of: kept, marked `low_confidence` (greyed in review and the report). This marks
# 3 % of the words of the neural-voice set, 6 % of the espeak set and 9 % of the real-speech set.
LOW_CONFIDENCE_P = 0.4
# A segment the model is unsure of (mean word probability under this) takes the other reading's words where
# the model is surer of those. Clear English speech sits at 0.75-0.98.
UNSURE_SEGMENT_P = 0.6
OTHER_BETTER_BY = 0.1
SHARED_RUN_WORDS = 2  # words both readings wrote in a row that tie them together (`surer_where_they_differ`)
FILLER_PAIRS = ("you know", "i mean")  # two-word fillers whose first word the plain reading may drop
SET_OFF_WORDS = ("like", "know", "mean")  # the comma after these decides whether "like", "you know", "I mean" is a filler
# the text before a window that its plain reading goes on from: more than the 223 tokens Whisper keeps of a prompt
# (it keeps the last), so the model reads on from as much of the answer as it reads on from across its own windows
CONTEXT_WORDS = 200
SAME_HESITATION_S = 0.5  # a hesitation of the verbatim reading this near one already kept is the same one
# "Not English" needs more than low confidence: over 3 s or more, the model is unsure of both readings (with
# and without the prompt) and they share less than half their words - on English speech they agree nearly word
# for word, and where an accent or a room leaves the model unsure they still share half or more (50-60 % on
# four such stretches); where it heard espeak-ng's French, Spanish, Italian and Dutch and the German of
# multilingual.mp3 without looping, it guessed different words each time (they shared 0-40 %) - or one reading
# is unsure there and the other loops over it, or both loop.
READINGS_SHARE_UNDER = 0.5
OTHER_WORDS_SHARE = 0.2  # a reading that stopped early (few words there) is no second opinion
FOREIGN_MIN_S = 3.0  # a shorter unsure stretch (a name, an accent on a few words) is no evidence of a language
UNCLEAR_WARN_S = 2.0  # unsure stretches shorter than this are left to the greyed words
# Speech the model wrote no words for, this long or longer, is heard again on its own (the one-pass decoder
# sometimes stops before the end of a full window, as it learnt to leave a cut sentence for the next one).
REDECODE_UNCOVERED_S = 0.8
# A whole run of speech between silences (a VAD region) with no word at all is a word or more the reading left
# out ("Ruth is upset." after the last sentence it wrote), not a word's edge the times missed: heard again from
# this long (a click or a breath is shorter).
WORDLESS_REGION_S = 0.4
# A stretch of speech without words this near a word's edge meets it (`timed_into_wordless`; times are rounded)
RUN_MEETS_S = 0.01
LENT_NEAR_S = 0.1  # the other reading's same word this near (or within) a mistimed word is that word (`timed_by_other`)
MAX_WORD_S = 1.5  # no word takes longer to say (a held "um" aside); a longer span hides speech the model skipped
SAID_WORD_S = 0.5  # and each further word that a number written in digits is said as, said slowly (`longest_s`)
UNCOVERED_MARGIN_S = 0.15  # heard beyond a long stretch; a word heard again this far outside one is still its own
# A short stretch is heard again with this much of the audio around it, so the model hears it in its place: cut
# out alone, a breath or the other speaker's murmur between turns became "Thank you.", "The end." (real
# conversation: 0.113 with 0.15 s, against plain Whisper's 0.109). Only the words inside the stretch are kept, but
# for kept words heard again (`new_beside_kept`). A longer stretch is speech enough on its own (and a clip of it
# alone is where another language shows, by looping).
HEARD_WITH_S = 1.0
SHORT_STRETCH_S = 2.0
# Silence between the stretches heard again in one clip, long enough that Whisper reads each as a segment of its
# own (real-speech set WER with 0.5 / 1 / 2 s: 0.188 / 0.192 / 0.188; heard one by one 0.186)
PIECE_GAP_S = 2.0
SAME_WORD_SHARE = 0.75  # a word heard again spelt this much like a kept word beside its stretch is that word
REPEATS_NEIGHBOURS = 0.6  # a re-heard piece that mostly repeats the words beside it is their echo, not new words
NEIGHBOUR_S = 3.0
# Speech left untranscribed worth a warning
UNTRANSCRIBED_MIN_S = 4.0
UNTRANSCRIBED_SHARE = 0.2
# Uncovered voiced stretch that may be a dropped hesitation
ACOUSTIC_MIN_S = 0.25
ACOUSTIC_MAX_S = 1.5
ACOUSTIC_NEAR_FILLER_S = 0.3
ACOUSTIC_TRAILING_SILENCE_S = 1.0  # where Whisper's made-up "Thank you." goes, apart from the stretch
ACOUSTIC_MAX_TOKENS = 12  # room for a word or two, punctuation and timestamps
# A microphone this quiet (the loud end of the speech, `vad.speech_level_db`, in dBFS) is worth a warning: the
# model hears it turned up (`vad.at_speech_level`), but a real interviewer, who hears it as it is, may not.
QUIET_MICROPHONE_DB = -35.0
# A short silence inside speech: frames under the silence floor (`vad.silence_floor_db`), for at least this long
FRAME_S = 0.02
SHORT_PAUSE_S = 0.14


@dataclass(frozen=True)
class Unclear:
    """A stretch (seconds) the model could not make out well; `foreign`: with evidence that it is not English."""

    start: float
    end: float
    foreign: bool = False


def transcribe_words(engine: Engine, samples: np.ndarray, offset_s: float = 0.0,
                     regions: Sequence[Region] | None = None) -> tuple[list[Word], list[str]]:
    """Words with fillers kept and tagged, plus warnings. Times are seconds from the start of `samples`
    plus `offset_s` (for one window of a longer recording). `regions`: the VAD's speech regions of
    `samples` when the caller already has them."""
    samples = np.asarray(samples, dtype=np.float32)
    regions = speech_regions(samples) if regions is None else list(regions)
    words, unclear = _transcribe_regions(engine, samples, regions)
    warnings = speech_warnings(regions, words, unclear)
    if offset_s:
        words = [replace(w, start=w.start + offset_s, end=w.end + offset_s) for w in words]
    return words, warnings


def _transcribe_regions(engine: Engine, samples: np.ndarray, regions: Sequence[Region], before: Sequence = ()
                        ) -> tuple[list[Word], list[Unclear]]:
    # the model and the hesitation detector hear a quiet microphone's speech at the level they know
    samples = at_speech_level(samples, regions)
    words: list[Word] = []
    unclear: list[Unclear] = []
    heard: list[Hesitation] = []
    for group in group_regions(list(regions)):
        raw, notes, found = transcribe_stretch(engine, samples, group, context_of(list(before) + words))
        words += snap_to_speech([Word(w.word, w.start, w.end, w.probability,
                                      low_confidence=w.probability < LOW_CONFIDENCE_P) for w in raw], group)
        unclear += notes
        heard += found
    if not words:
        return [], unclear
    words = tag_fillers(words, paused_after(samples, words, regions))
    words += acoustic_fillers(engine, samples, regions, words)
    words = add_hesitations(words, heard, lambda h: Word(h.word, h.start, h.end, None, True, "acoustic"))
    # a word laid wholly over a hesitation is left at its edge with no time: the speech it was said in is beside it
    return timed_into_wordless(words, regions), unclear


def transcribe_window(engine: Engine, samples: np.ndarray, window: Window, before: Sequence[Word] = ()
                      ) -> tuple[list[Word], list[Unclear]]:
    """The words of one window (`vad.split_windows`) and the stretches the model was unsure of, in seconds
    from the start of `samples`. `before`: the words of the answer so far, which the model reads on from."""
    clip = samples[window.start:window.end]
    offset_s = window.start / SAMPLE_RATE
    words, unclear = _transcribe_regions(engine, clip, window.regions, before)
    return ([replace(w, start=round(w.start + offset_s, 3), end=round(w.end + offset_s, 3)) for w in words],
            [Unclear(u.start + offset_s, u.end + offset_s, u.foreign) for u in unclear])


def transcribe_all(engine: Engine, samples: np.ndarray) -> tuple[list[Word], list[str], list[Region]]:
    """A whole recording, window by window as the live path hears it: words, warnings, and the speech
    regions heard (seconds)."""
    samples = np.asarray(samples, dtype=np.float32)
    windows, _ = split_windows(samples, final=True)
    words: list[Word] = []
    unclear: list[Unclear] = []
    speech: list[Region] = []
    for w in windows:
        heard, notes = transcribe_window(engine, samples, w, words)
        words += heard
        unclear += notes
        speech += w.speech()
    return words, speech_warnings(speech, words, unclear), speech


def speech_warnings(regions: Sequence[Region], words: Sequence[Word], unclear: Sequence[Unclear] = ()
                    ) -> list[str]:
    """No words at all; much of the speech the VAD heard left without words; stretches the model was unsure
    of (their words are kept, marked), and those that did not sound like English."""
    if not words:
        return [NO_SPEECH]
    out = []
    for u in merge_unclear(unclear):
        if u.foreign:
            out.append(f"{u.start:.0f}-{u.end:.0f} s {NOT_ENGLISH} (another language?); "
                       "its words are kept, marked unsure")
        elif u.end - u.start >= UNCLEAR_WARN_S:
            out.append(f"the model was unsure of the words at {u.start:.0f}-{u.end:.0f} s (greyed in the transcript)")
    missed = untranscribed_seconds(regions, words)
    if missed >= UNTRANSCRIBED_MIN_S and missed >= UNTRANSCRIBED_SHARE * speech_seconds(list(regions)):
        out.append(f"about {missed:.0f} s of the audio held speech that was not transcribed "
                   "(another language, or too unclear for the model)")
    return out


def merge_unclear(unclear: Sequence[Unclear], join_s: float = 3.0) -> list[Unclear]:
    out: list[Unclear] = []
    for u in sorted(unclear, key=lambda u: u.start):
        if out and u.start - out[-1].end <= join_s:
            last = out[-1]
            out[-1] = Unclear(last.start, max(last.end, u.end), last.foreign or u.foreign)
        else:
            out.append(u)
    return out


def transcribe_stretch(engine: Engine, samples: np.ndarray, group: Sequence[Region], context: str | None = None
                       ) -> tuple[list[RawWord], list[Unclear], list[Hesitation]]:
    """One stretch of speech (long silences shortened) read twice by the model (`hear`). Nothing heard is
    thrown away: speech still left without words is heard again on its own. Word times come back in the
    original audio's seconds, with the stretches the model stayed unsure of and the hesitations its encoder
    heard (`hesitation`, whether or not a reading wrote them)."""
    spans = kept_spans(list(group), samples.size / SAMPLE_RATE)
    clip = np.concatenate([samples[int(a * SAMPLE_RATE): int(b * SAMPLE_RATE)] for a, b in spans])
    to_source = SpanMap(spans)
    speech = [(to_source.to_clip(r.start), to_source.to_clip(r.end)) for r in group]
    words, unclear, heard = hear(engine, clip, sum(r.duration for r in group), context, speech)
    found = [replace(h, start=round(to_source(h.start, ending=False), 3), end=round(to_source(h.end, ending=True), 3))
             for h in heard]
    words = [RawWord(w.word, to_source(w.start, ending=False), to_source(w.end, ending=True), w.probability)
             for w in words]
    unclear = [Unclear(to_source(u.start, ending=False), to_source(u.end, ending=True), u.foreign) for u in unclear]
    more, notes = hear_uncovered(engine, samples, group, words)
    return timed_into_wordless(trim_overlong(words + more), group), unclear + notes, found


def hear(engine: Engine, clip: np.ndarray, speech_s: float, context: str | None = None,
         speech: Sequence[tuple[float, float]] = ()) -> tuple[list[RawWord], list[Unclear], list[Hesitation]]:
    """The words of a clip from two readings: one as Whisper reads by default (the engine's beam, going on from
    `context`, the text before the clip, with no other prompt), whose words are kept, and one with the verbatim
    prompt (greedy), kept for its hesitations and the words the first left out (below) - the prompt makes the
    model write "um" and "uh" but costs it words on real voices (WER 0.19 -> 0.24 on the real-speech set). Where
    the model is unsure of a segment of one reading and surer of the other's words there, those are kept, as are
    the other's words for a run, or a word alone, misheard in a segment it was sure of
    (`surer_where_they_differ`); where a reading loops, the other is used; a word one reading timed as no word is
    said, put in the silence beside the `speech` the VAD heard (clip seconds) or after speech no word covers,
    takes the other's time (`timed_by_other`); an unsure short word that the verbatim reading and the encoder both
    heard as a hesitation is that hesitation (`hesitations_not_words`); a restart the plain reading wrote once
    (`restarts_in_wordless`) and a sure word it stopped short of (`said_in_short_wordless`) come from the
    verbatim reading. Also the stretches still unsure,
    `foreign` with evidence that the speech is not English: over FOREIGN_MIN_S or more both readings are unsure
    and disagree, or one loops there and the other is unsure, or both loop; and the hesitations the encoder heard
    (`hesitation`, whether or not a reading wrote them)."""
    plain, verbatim = read_twice(engine, clip, VERBATIM_PROMPT, context)
    heard = hesitations_in(engine, clip)  # right after the clip's reading, whose encoder pass it reads again at no cost
    plain = [s for s in plain if not looks_hallucinated(s)]
    verbatim = [s for s in verbatim if not looks_hallucinated(s)]
    plain_loops, verbatim_loops = looks_like_a_loop(plain, speech_s), looks_like_a_loop(verbatim, speech_s)
    base, other = (verbatim, plain) if plain_loops and not verbatim_loops else (plain, verbatim)
    words = [w for w in flatten_words(base) if not (base is verbatim and is_hesitation(w.word))]
    if not words and not flatten_words(other):
        return [], [], heard
    if plain_loops and verbatim_loops:
        mine = said_once(flatten_words(base) or flatten_words(other))
        return mine, [Unclear(mine[0].start, mine[-1].end, foreign=True)], heard
    unclear = []
    # a reading that loops has no words to lend ("Thank you very much, and" ninety times over a 1.4 s "uh")
    other_loops = plain_loops if other is plain else verbatim_loops
    other_words = [] if other_loops else [w for w in flatten_words(other) if not is_hesitation(w.word)]
    unsure_spans = []
    for seg in base:
        mine = [w for w in words if seg.start <= midpoint(w) <= seg.end]
        if not mine or mean_p(mine) >= UNSURE_SEGMENT_P:
            continue
        unsure_spans.append((seg.start, seg.end))
        theirs = [w for w in other_words if seg.start <= midpoint(w) <= seg.end]
        if theirs and mean_p(theirs) >= mean_p(mine) + OTHER_BETTER_BY:
            words = [w for w in words if w not in mine] + theirs
            mine = theirs
        if mean_p(mine) < UNSURE_SEGMENT_P:
            unclear.append(Unclear(seg.start, seg.end))
    for a, b in joined(unsure_spans):
        mine = [w for w in words if a <= midpoint(w) <= b]
        theirs = [w for w in other_words if a <= midpoint(w) <= b]
        # the other reading guesses too: unsure of different words, or looping right there (it could not follow
        # the speech at all: "I'm just, uh," forty times over German)
        other_guesses = (other_loops and looks_like_a_loop([s for s in other if s.start < b and a < s.end], b - a)
                         or len(theirs) >= OTHER_WORDS_SHARE * len(mine) and mean_p(theirs) < UNSURE_SEGMENT_P
                         and readings_disagree(mine, theirs))
        if b - a >= FOREIGN_MIN_S and mean_p(mine) < UNSURE_SEGMENT_P and other_guesses:
            unclear.append(Unclear(a, b, foreign=True))
    words = surer_where_they_differ(sorted(words, key=lambda w: w.start), other_words)
    words = timed_by_other(words, other_words, speech)
    if not verbatim_loops:
        verbatim_words = flatten_words(verbatim)
        words = hesitations_not_words(sorted(words, key=lambda w: w.start), verbatim_words, heard)
        words += hesitations_between(words, verbatim_words)
        words += filler_halves(words, verbatim_words)
        words += set_off_fillers_between(words, verbatim_words)
        words = set_off_as_heard(words, verbatim_words)
        words += restarts_in_wordless(words, verbatim_words, speech)
        words += said_in_short_wordless(words, verbatim_words, speech)
    words.sort(key=lambda w: w.start)
    return words, unclear, heard


def surer_where_they_differ(words: Sequence[RawWord], other: Sequence[RawWord]) -> list[RawWord]:
    """`words` (in time order) with each run of them that the other reading of the same clip wrote differently,
    between runs of SHARED_RUN_WORDS or more words both wrote (the two word sequences aligned), taken from the
    other reading where the model was unsure of its own (mean probability under UNSURE_SEGMENT_P) and sure of
    the other's (over it, and by OTHER_BETTER_BY: on real voices the prompted reading is as unsure as the plain
    one where both guess), no fewer words as said, and timed between the words kept around it. It is the
    per-segment swap in `hear` at the scale of the words: a few words misheard in a sentence otherwise heard well
    do not make its segment unsure ("Last spring I'm a chai hand signer of failed", the other reading "Last
    spring, a match I had signed, uh, off failed"). In a run kept whole, a word alone between words both wrote
    is weighed so on its own."""
    if not words or not other:
        return list(words)
    matcher = aligned(words, other)
    # a word or two the readings share by chance in a misheard stretch ("a", "the") is no anchor
    anchors = [b for b in matcher.get_matching_blocks() if b.size >= SHARED_RUN_WORDS]

    def surer_there(mine: list, theirs: list, before: Sequence[RawWord], after: Sequence[RawWord]) -> bool:
        return bool(mine and theirs and mean_p(mine) < UNSURE_SEGMENT_P
                    and mean_p(theirs) >= max(UNSURE_SEGMENT_P, mean_p(mine) + OTHER_BETTER_BY)
                    and words_said(theirs) >= words_said(mine)  # never fewer words ("in 6" -> "six")
                    and theirs[0].start < mine[-1].end and mine[0].start < theirs[-1].end
                    and in_order(theirs, before, after))

    out, i, j = [], 0, 0
    for a, b, size in anchors + [difflib.Match(len(words), len(other), 0)]:
        mine, theirs = list(words[i:a]), list(other[j:b])
        if surer_there(mine, theirs, out[-1:], words[a:a + 1]):
            out += theirs
        elif mine and theirs:
            # the run as a whole is surer in this reading, but a word of it alone between words both wrote may
            # not be: "this paint start? It" / "this pain start? I" (0.53 / 0.85), and a word misheard is written
            # into the context the next stretch is read on from, and misheard there again
            for tag, i1, i2, j1, j2 in aligned(mine, theirs).get_opcodes():
                one = mine[i1:i2]
                if (tag == "replace" and i2 - i1 == 1 and j2 - j1 == 1 and not is_hesitation(one[0].word)
                        and surer_there(one, theirs[j1:j2], out[-1:], mine[i2:i2 + 1] or words[a:a + 1])):
                    one = theirs[j1:j2]
                out += one
        else:
            out += mine
        out += words[a:a + size]
        i, j = a + size, b + size
    return out


def aligned(a: Sequence[RawWord], b: Sequence[RawWord]) -> difflib.SequenceMatcher:
    """Two word lists aligned by their words in lower case, without punctuation but apostrophes (`fillers_norm`)."""
    return difflib.SequenceMatcher(None, [fillers_norm(w.word) for w in a], [fillers_norm(w.word) for w in b],
                                   autojunk=False)


def in_order(run: Sequence[RawWord], before: Sequence[RawWord], after: Sequence[RawWord]) -> bool:
    """Whether `run` starts no earlier than the words `before` it and no later than those `after` it: a run one
    reading timed elsewhere would be said out of order once the words are sorted by time ("300, person" with
    "person" at 3.86 s, after "conference" at 3.84 s in the other)."""
    return all(w.start <= run[0].start for w in before) and all(run[-1].start <= w.start for w in after)


def timed_by_other(words: Sequence[RawWord], other: Sequence[RawWord], speech: Sequence[tuple[float, float]] = ()
                   ) -> list[RawWord]:
    """`words` (in time order) with each word the alignment timed as no word is said (under MIN_WORD_S, or a
    word other than a hesitation over `longest_s`, or, given the `speech` the VAD heard, under MIN_WORD_S of it)
    timed as the other reading of the same clip timed the same word there (near it, or at its place in the other's
    words), between its neighbours. Whisper's word times come from the decoder's attention: a word can get none
    of it in one reading ("So" at 7.452-7.452 after a held "so," at 6.47-7.45 in the other), be laid over the
    sound of a hesitation that reading left out ("recently" over 1.7 s, "uh, recently," in the other), or be put
    in the silence after the speech it was said in ("I" at 580.13-580.63 where the speech ends at 580.16; "I," at
    579.25-580.45 in the other); each leaves speech looking wordless. So is a word timed after REDECODE_UNCOVERED_S
    or more of speech no word covers, where the other reading's same word lies over that speech ("Maybe" at
    389.97-390.05 after 1.16 s of it; "maybe" at 388.75-389.97 in the other)."""
    def speech_in(lo: float, hi: float) -> float:
        """Seconds of the `speech` between lo and hi."""
        return sum(max(0.0, min(hi, b) - max(lo, a)) for a, b in speech)

    def timed_as_said(w) -> bool:
        said = w.end - w.start >= MIN_WORD_S and (w.end - w.start <= longest_s(w.word) or is_hesitation(w.word))
        return said and (not speech or speech_in(w.start, w.end) >= MIN_WORD_S)

    def wordless_before(i: int, start: float) -> float:
        """Speech between word i-1 and `start` that no word covers (seconds)."""
        return speech_in(out[i - 1].end if i else 0.0, start)

    out = list(words)
    # the same word in the other reading's sequence: the readings may time it tenths of a second apart ("Okay."
    # at 47.36-47.36 and 46.66-47.18, "And" at 48.64-48.64 and 47.68-48.32, over "Okay. And, um")
    twin = {i: j for block in aligned(out, other).get_matching_blocks()
            for i, j in zip(range(block.a, block.a + block.size), range(block.b, block.b + block.size))}
    for i, w in enumerate(out):
        # timed as said, but after speech no word covers: the other reading's same word may lie over it
        said = timed_as_said(w)
        late = said and wordless_before(i, w.start) >= REDECODE_UNCOVERED_S
        if said and not late:
            continue
        same = [o for o in other if fillers_norm(o.word) == fillers_norm(w.word) and timed_as_said(o)
                and o.start - LENT_NEAR_S <= w.end and o.end + LENT_NEAR_S >= w.start]
        if late:  # only the same word where it lies, not its place in the sequence: a restart says it twice
            same = [o for o in same if wordless_before(i, o.start) <= wordless_before(i, w.start) - MIN_WORD_S]
        elif not same and i in twin and timed_as_said(other[twin[i]]):
            same = [other[twin[i]]]
        if not same:
            continue
        o = min(same, key=lambda o: abs(midpoint(o) - midpoint(w)))
        start = max(o.start, out[i - 1].end if i else 0.0)
        end = min(o.end, out[i + 1].start if i + 1 < len(out) else o.end)
        if end - start >= MIN_WORD_S:
            out[i] = RawWord(w.word, start, end, w.probability)
    return out


def said_once(words: Sequence[RawWord]) -> list[RawWord]:
    """A looping reading's words with each phrase written back to back over and over (one to MAX_LOOP_WORDS
    words) kept once: the model heard it once ("Okay, okay, okay, ..." fourteen times over one "okay")."""
    out = list(words)
    for n in range(1, MAX_LOOP_WORDS + 1):
        kept: list[RawWord] = []
        i = 0
        while i < len(out):
            if len(kept) >= n and ([fillers_norm(w.word) for w in out[i:i + n]]
                                   == [fillers_norm(w.word) for w in kept[-n:]]):
                i += n  # the phrase again
            else:
                kept.append(out[i])
                i += 1
        out = kept
    return out


def context_of(words: Sequence) -> str | None:
    """The text a stretch's plain reading goes on from, as Whisper reads on across its 30 s windows: the last
    CONTEXT_WORDS words said before it as the model wrote them, without the "um"s and "uh"s it leaves out of its
    own text (a prompt with hesitations in it makes it write them, and costs words)."""
    said = [w.word for w in words if not is_hesitation(w.word)]
    return " ".join(said[-CONTEXT_WORDS:]) or None


def hesitations_not_words(words: Sequence[RawWord], verbatim: Sequence[RawWord], heard: Sequence[Hesitation]
                          ) -> list[RawWord]:
    """`words` (in time order) without each one that was a hesitation: where the two readings, aligned, differ by
    one word, the kept one a word of one syllable the model was unsure of (under UNSURE_SEGMENT_P), the verbatim
    one an "um" or "uh" within SAME_HESITATION_S of it, and the encoder heard a hesitation (`heard`) over the kept
    word's time. tiny.en, reading on from the words before, writes the sound it cannot place as a short word ("my
    home, whole plan" for "my um, whole plan", "Come, at last year" for "Um, at last year"), and the hesitation it
    was is added from the verbatim reading as well (`hesitations_between`): the one sound written twice. A word
    the model was sure of stays ("Then the um, app store", where the verbatim reading left "the" out), as does one
    of more syllables than a hesitation has ("Okay" read as "Um") and one the encoder heard no hesitation over
    (espeak's "did not give uh, us enough", whose verbatim reading wrote "give, uh, enough")."""
    x = list(words)
    misheard = set()
    for tag, i1, i2, j1, j2 in aligned(x, verbatim).get_opcodes():
        if tag != "replace" or i2 - i1 != 1 or j2 - j1 != 1:
            continue
        kept, written = x[i1], verbatim[j1]
        if (is_hesitation(written.word) and not is_hesitation(kept.word) and kept.probability < UNSURE_SEGMENT_P
                and abs(midpoint(kept) - midpoint(written)) < SAME_HESITATION_S
                and any(h.start < kept.end and kept.start < h.end for h in heard)
                and is_one_syllable(kept.word)):
            misheard.add(i1)
    return [w for i, w in enumerate(x) if i not in misheard]


def is_one_syllable(word: str) -> bool:
    """A word of letters (an apostrophe allowed: "I'm") of one syllable; not a number, nor "Uh-oh"."""
    from textstat import syllable_count

    spelt = word.strip(".,?!;:\"").lower()
    return spelt.replace("'", "").isalpha() and syllable_count(spelt) == 1


def hesitations_between(words: Sequence[RawWord], verbatim: Sequence[RawWord]) -> list[RawWord]:
    """The hesitations of the verbatim reading that the kept words lack: each one with no hesitation of the
    kept reading near it."""
    have = [w for w in words if is_hesitation(w.word)]
    out: list[RawWord] = []
    for h in (w for w in verbatim if is_hesitation(w.word)):
        if not any(abs(midpoint(h) - midpoint(w)) < SAME_HESITATION_S for w in have + out):
            out.append(h)
    return out


def restarts_in_wordless(words: Sequence[RawWord], verbatim: Sequence[RawWord],
                         speech: Sequence[tuple[float, float]]) -> list[RawWord]:
    """The words of a restart the kept reading wrote once ("I couldn't go, uh, I couldn't go to my classes" as "I
    couldn't go to my classes"): words of the verbatim reading that the kept words lack, which say again the
    words said next (or just before), and lie in `speech` the kept words leave without any for
    REDECODE_UNCOVERED_S or more, but for any the kept reading's same word lies over (it took its time from
    them). Whisper smooths restarts away; the verbatim prompt keeps them. Heard again on its
    own the stretch reads as an echo of the words beside it (`repeats`), so this reading is the only word of
    it."""
    if not speech:
        return []
    kept = [w for w in words if not is_hesitation(w.word)]
    theirs = [w for w in verbatim if not is_hesitation(w.word)]
    matcher = aligned(kept, theirs)
    x, y = matcher.a, matcher.b
    runs = [(a, b) for a, b in uncovered_runs([Region(a, b) for a, b in speech], words)
            if b - a >= REDECODE_UNCOVERED_S]
    out: list[RawWord] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        n = j2 - j1
        if tag != "insert" or not (x[i1:i1 + n] == y[j1:j2] or x[max(0, i1 - n):i1] == y[j1:j2]):
            continue
        # either time the phrase was said may be the one the kept words lack: the one in the wordless speech
        for said in (theirs[j1:j2], theirs[j1 - n:j1] if j1 >= n else [], theirs[j2:j2 + n]):
            if [fillers_norm(w.word) for w in said] != y[j1:j2]:
                continue
            wordless = [any(a <= midpoint(w) <= b for a, b in runs) for w in said]
            # a kept word may lie where the copy's same word does: the kept reading's word, given no time of its
            # own, was timed by this one (`timed_by_other`: "I" over the first "I" of "I couldn't go, uh, I
            # couldn't go"); the copy's other words are still the wordless speech's
            lent = [any(fillers_norm(k.word) == fillers_norm(w.word) and k.start <= midpoint(w) <= k.end
                        for k in kept) for w in said]
            if any(wordless) and all(in_run or kept_there for in_run, kept_there in zip(wordless, lent)):
                out += [w for w, in_run in zip(said, wordless) if in_run]
                break
    return out


def said_in_short_wordless(words: Sequence[RawWord], verbatim: Sequence[RawWord],
                           speech: Sequence[tuple[float, float]]) -> list[RawWord]:
    """Words of the verbatim reading that the kept words lack (the two aligned), which the model was sure of
    (UNSURE_SEGMENT_P), and which lie, by more than half their time, in `speech` the kept words leave without any
    for less than is heard again (REDECODE_UNCOVERED_S): the plain reading, going on from the text before, may stop
    short of a clip's last word ("where is this pain located" then 0.77 s of speech, "located exactly?" in the
    verbatim reading)."""
    if not speech:
        return []
    kept = [w for w in words if not is_hesitation(w.word)]
    theirs = [w for w in verbatim if not is_hesitation(w.word)]
    runs = [(a, b) for a, b in uncovered_runs([Region(a, b) for a, b in speech], words) if b - a < REDECODE_UNCOVERED_S]
    out: list[RawWord] = []
    for tag, _i1, _i2, j1, j2 in aligned(kept, theirs).get_opcodes():
        if tag != "insert":
            continue
        out += [w for w in theirs[j1:j2] if w.probability >= UNSURE_SEGMENT_P and w.end - w.start >= MIN_WORD_S
                and any(min(w.end, b) - max(w.start, a) > (w.end - w.start) / 2 for a, b in runs)]
    return out


def set_off_as_heard(words: Sequence[RawWord], verbatim: Sequence[RawWord]) -> list[RawWord]:
    """The kept words, with the comma the verbatim reading wrote after a "like", "know" or "mean" at the same
    time: the plain reading, going on from the text before it, often leaves out the comma that sets a filler
    off ("treating like the deadline" where the verbatim reading has "treating like, the deadline")."""
    set_off = [w for w in verbatim if fillers_norm(w.word) in SET_OFF_WORDS and w.word.endswith(",")]
    out = []
    for w in words:
        if (fillers_norm(w.word) in SET_OFF_WORDS and not w.word.endswith((",", ".", "?", "!"))
                and any(fillers_norm(v.word) == fillers_norm(w.word)
                        and abs(midpoint(v) - midpoint(w)) < SAME_HESITATION_S for v in set_off)):
            w = RawWord(w.word + ",", w.start, w.end, w.probability)
        out.append(w)
    return out


def filler_halves(words: Sequence[RawWord], verbatim: Sequence[RawWord]) -> list[RawWord]:
    """The first word of a two-word filler ("you know", "I mean") that the kept reading dropped: it wrote
    "know," where the verbatim reading heard "you know," at the same time (the second word set off by a
    comma, as a filler is). Only the missing word is taken; what the kept reading heard stays as it was."""
    out: list[RawWord] = []
    for first, second in zip(verbatim, verbatim[1:]):
        phrase = f"{fillers_norm(first.word)} {fillers_norm(second.word)}"
        if phrase not in FILLER_PAIRS or not second.word.endswith(","):
            continue
        for i, w in enumerate(words):
            same = (fillers_norm(w.word) == fillers_norm(second.word)
                    and abs(midpoint(w) - midpoint(second)) < SAME_HESITATION_S)
            if same and (i == 0 or fillers_norm(words[i - 1].word) != fillers_norm(first.word)):
                start = min(first.start, w.start - 0.01)  # before the word it belongs with, whatever the times say
                end = max(start, min(first.end, w.start))
                out.append(RawWord(first.word.rstrip(","), start, end, first.probability))
    return out


def set_off_fillers_between(words: Sequence[RawWord], verbatim: Sequence[RawWord]) -> list[RawWord]:
    """The discourse fillers the verbatim reading heard set off by a comma ("like,", "you know,", "I mean,") where the
    kept reading has none of their words at that time: it wrote another word over them ("was slight interiors" where
    the verbatim reading has "was like, interwers") or left them out. Only the filler is taken; the kept words
    stay as they were. A "like" without the comma may be a verb, and is not taken."""
    out: list[RawWord] = []
    for i, w in enumerate(verbatim):
        if not w.word.endswith(","):
            continue
        if fillers_norm(w.word) == "like":
            phrase = [w]
        elif i and f"{fillers_norm(verbatim[i - 1].word)} {fillers_norm(w.word)}" in FILLER_PAIRS:
            phrase = [verbatim[i - 1], w]
        else:
            continue
        if any(fillers_norm(k.word) == fillers_norm(v.word) and abs(midpoint(k) - midpoint(v)) < SAME_HESITATION_S
               for v in phrase for k in words):
            continue
        if len(phrase) == 2:  # the two words start together, so no kept word sorts between them
            first, second = phrase
            phrase = [RawWord(first.word.rstrip(","), first.start, max(first.start, first.end), first.probability),
                      RawWord(second.word, first.start, max(first.start, second.end), second.probability)]
        out += phrase
    return out


def joined(spans: Sequence[tuple[float, float]], gap_s: float = 1.0) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for a, b in sorted(spans):
        if out and a - out[-1][1] <= gap_s:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def mean_p(words: Sequence[RawWord]) -> float:
    return sum(w.probability for w in words) / len(words) if words else 0.0


def readings_disagree(a: Sequence[RawWord], b: Sequence[RawWord]) -> bool:
    """Two readings of the same audio that share less than READINGS_SHARE_UNDER of their words: the model is
    guessing, not hearing English."""
    matcher = aligned([w for w in a if not is_hesitation(w.word)], [w for w in b if not is_hesitation(w.word)])
    if not matcher.a and not matcher.b:
        return False
    matched = sum(m.size for m in matcher.get_matching_blocks())
    return matched / max(len(matcher.a), len(matcher.b)) < READINGS_SHARE_UNDER


def hear_uncovered(engine: Engine, samples: np.ndarray, group: Sequence[Region], words: Sequence[RawWord]
                   ) -> tuple[list[RawWord], list[Unclear]]:
    """Words for speech the reading left without any (REDECODE_UNCOVERED_S or more, or a whole region of
    WORDLESS_REGION_S or more), heard again without the words around them (`hear`). The stretches of a group are
    heard together, PIECE_GAP_S of silence apart, in one clip: one encoder pass for all of them instead of one
    each, which was a third of `analyze`'s time on the real-speech set. A stretch the shared reading leaves
    without words (the model may stop at a silence) is heard again on its own, and so, once, is the end of one
    it stopped short of. A piece that only repeats the words beside it is dropped (the model had heard them, with
    times a little off)."""
    wordless = {(r.start, r.end) for r in group}
    runs = [(a, b) for a, b in uncovered_runs(group, words)
            if b - a >= (WORDLESS_REGION_S if (a, b) in wordless else REDECODE_UNCOVERED_S)]
    # no further than the group's speech and its margin: the silence after it is as long as the answer has gone
    # on, and the streamed path hears its last window once the speaker has been silent for a moment
    samples = samples[:int((group[-1].end + UNCOVERED_MARGIN_S) * SAMPLE_RATE)] if group else samples
    found, unclear = heard_again(engine, samples, runs, words)
    so_far = list(words) + found
    # the model may stop early in a stretch ("the board insisted on the full office and", then nothing for the
    # last 1.7 s)
    tails = [(t, b) for a, b in runs for t, end in uncovered_runs([Region(a, b)], so_far)
             if end == b and a < t <= b - REDECODE_UNCOVERED_S]
    more, notes = heard_again(engine, samples, tails, so_far)
    return found + more, unclear + notes


def heard_again(engine: Engine, samples: np.ndarray, runs: Sequence[tuple[float, float]], words: Sequence[RawWord]
                ) -> tuple[list[RawWord], list[Unclear]]:
    """The words heard again in `runs` (`heard_together`, in batches; a stretch the shared reading leaves without
    words alone), but for those that only repeat `words` near them."""
    found: list[RawWord] = []
    unclear: list[Unclear] = []
    for batch in packed(runs):
        readings = heard_together(engine, samples, batch, words)
        if len(batch) > 1:
            readings = [(heard, notes) if heard else heard_together(engine, samples, [run], words)[0]
                        for run, (heard, notes) in zip(batch, readings)]
        for (a, b), (heard, notes) in zip(batch, readings):
            near = [w for w in words if w.end > a - NEIGHBOUR_S and w.start < b + NEIGHBOUR_S]
            # an "um" heard again beside one already written is that one (its times drift at a piece's edge)
            heard = sorted([w for w in heard if not is_hesitation(w.word)] + hesitations_between(near, heard),
                           key=lambda w: w.start)
            if heard and not repeats(heard, near):
                found += heard
                unclear += notes
    return found, unclear


def heard_together(engine: Engine, samples: np.ndarray, runs: Sequence[tuple[float, float]],
                   kept: Sequence[RawWord] = ()) -> list[tuple[list[RawWord], list[Unclear]]]:
    """The words and unsure stretches of each of `runs` (seconds, in order), each heard with the audio around it
    (`heard_span`), in one clip with PIECE_GAP_S of silence between the pieces, in the source's seconds. Runs whose
    audio overlaps (more than where two stretches' UNCOVERED_MARGIN_S meet) are one piece: the same audio twice in a
    clip is read twice. The words heard in the audio around a run are told from the `kept` words there
    (`new_beside_kept`)."""
    pieces: list[list] = []  # [lo, hi, the runs in it]
    for a, b in runs:
        lo, hi = heard_span(a, b, samples.size / SAMPLE_RATE)
        if pieces and lo < pieces[-1][1] - 2 * UNCOVERED_MARGIN_S:
            pieces[-1][1] = max(pieces[-1][1], hi)
            pieces[-1][2].append((a, b))
        else:
            pieces.append([lo, hi, [(a, b)]])
    clips = [samples[int(lo * SAMPLE_RATE): int(hi * SAMPLE_RATE)] for lo, hi, _ in pieces]
    gap = np.zeros(int(PIECE_GAP_S * SAMPLE_RATE), dtype=np.float32)
    clip = np.concatenate([clips[0]] + [part for piece in clips[1:] for part in (gap, piece)])
    starts = list(itertools.accumulate((c.size / SAMPLE_RATE + PIECE_GAP_S for c in clips[:-1]), initial=0.0))
    heard_all, notes_all, _ = hear(engine, clip, sum(c.size for c in clips) / SAMPLE_RATE)
    out = []
    for (lo, hi, inside), at, c in zip(pieces, starts, clips):
        # a word belongs to the piece its middle falls in, or the nearer half of the silence beside it (where
        # the model may time a word said at the piece's edge): it is kept within the piece
        until = at + c.size / SAMPLE_RATE
        mine = [within_piece(w, lo - at, lo, hi) for w in heard_all
                if at - PIECE_GAP_S / 2 <= midpoint(w) < until + PIECE_GAP_S / 2]
        taken: list[RawWord] = []
        for a, b in inside:
            span_lo, span_hi = heard_span(a, b, samples.size / SAMPLE_RATE)
            # a word in the margins of two stretches of the piece (an "uh" kept between them) is the first's, not
            # written again for the second ("just in uh, in the upper right" from one "in")
            heard = new_beside_kept([w for w in mine if span_lo <= midpoint(w) <= span_hi and w not in taken], a, b,
                                    [w for w in kept if w.end > span_lo and w.start < span_hi], lo)
            taken += heard
            # what is heard again belongs in the stretch no word covered, not in the margin before it (the last
            # kept word's): so it sorts after that word ("the" then "you know," where the piece timed "you" a
            # little early)
            heard = [replace(w, start=max(w.start, min(a, w.end))) for w in heard]
            # "not English" wants FOREIGN_MIN_S of speech: a stretch that long in the clip may be short pieces and
            # the silence put between them (a few unsure words of a real conversation's "uh, I, blood uh,
            # pressure"); the audio heard around a stretch has its words already, so only the stretch can be unsure
            notes = [Unclear(start, end, u.foreign and end - start >= FOREIGN_MIN_S)
                     for u in notes_all
                     for start, end in [(max(lo + u.start - at, a), min(lo + u.end - at, b))] if start < end]
            out.append((heard, notes))
    return out


def new_beside_kept(heard: Sequence[RawWord], a: float, b: float, kept: Sequence[RawWord],
                    clip_start: float = -math.inf) -> list[RawWord]:
    """The words of `heard` (in time order) that belong to the stretch a..b no kept word covered: `heard` is what
    was heard again there and in the audio around it, which holds the `kept` words. Those within
    UNCOVERED_MARGIN_S of the stretch (the model may time a word said at a piece's edge a little early), but a
    kept word heard again (`heard_as`), whatever its time, is that word, not another: before the stretch, only the
    words after the last kept word heard again are new, but for as many as there are kept words after that one
    (said there too: "tested the" kept, "test it was" heard, "it" is the kept "the" again); after it, those up to
    the first kept word heard again. "I had just followed" kept, the piece heard "I had just followed what" and
    timed its "followed" into the stretch's margin: written twice, the transcript read "just followed followed
    what". The model times the first word it writes from the start of the audio heard (`clip_start`), over any
    silence before it ("So" at 23.55-24.77, said from 24.6): such a word is the stretch's if it ends inside it by
    the margin, and is no kept word heard again."""
    said_kept = [k for k in kept if not is_hesitation(k.word)]
    near = [w for w in heard if a - UNCOVERED_MARGIN_S <= midpoint(w) <= b + UNCOVERED_MARGIN_S
            or (w.start <= clip_start + ENCODER_FRAME_S and w.end > a + UNCOVERED_MARGIN_S
                and not any(heard_as(w.word, k.word) for k in said_kept))]
    before = [w for w in heard if midpoint(w) < a]
    kept_before = [k for k in said_kept if midpoint(k) < a]
    again = [(i, j) for i, w in enumerate(before) for j, k in enumerate(kept_before) if heard_as(w.word, k.word)]
    if again:
        i, j = max(again)
        # the piece's words up to that one, and as many after it as there are kept words after its kept twin
        said_before = before[:i + len(kept_before) - j]
        near = [w for w in near if w not in said_before]
    trailing = [w for w in near if midpoint(w) > b]
    kept_after = [k for k in said_kept if midpoint(k) > b]
    again_after = [i for i, w in enumerate(trailing) if any(heard_as(w.word, k.word) for k in kept_after)]
    said_after = trailing[again_after[0]:] if again_after else []
    return [w for w in near if w not in said_after]


def heard_as(word: str, other: str) -> bool:
    """Whether `word` may be `other` heard again: the same word, or one spelt much like it (SAME_WORD_SHARE of
    their letters in common: "line." for "online.", "complain" for "complained")."""
    a, b = fillers_norm(word), fillers_norm(other)
    return a == b or difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= SAME_WORD_SHARE


def heard_span(a: float, b: float, total_s: float) -> tuple[float, float]:
    """The audio heard for the stretch a..b (seconds): HEARD_WITH_S either side of a short one, UNCOVERED_MARGIN_S of
    a longer one."""
    margin = HEARD_WITH_S if b - a < SHORT_STRETCH_S else UNCOVERED_MARGIN_S
    return max(0.0, a - margin), min(b + margin, total_s)


def within_piece(w: RawWord, shift: float, lo: float, hi: float) -> RawWord:
    """Word `w` `shift` seconds later, cut to lo..hi: a word timed wholly outside (in the silence beside the piece)
    keeps its place in the order said, at the piece's edge."""
    start = min(max(w.start + shift, lo), hi)
    return RawWord(w.word, round(start, 3), round(min(max(w.end + shift, start), hi), 3), w.probability)


def packed(runs: Sequence[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """`runs` in order, in batches that fit one Whisper window with their margins and the silences between."""
    batches: list[list[tuple[float, float]]] = []
    length = 0.0
    for a, b in runs:
        lo, hi = heard_span(a, b, math.inf)
        n = hi - lo
        if batches and length + PIECE_GAP_S + n <= WINDOW_S:
            batches[-1].append((a, b))
            length += PIECE_GAP_S + n
        else:
            batches.append([(a, b)])
            length = n
    return batches


def repeats(heard: Sequence[RawWord], near: Sequence[RawWord]) -> bool:
    """Whether the re-heard words mostly repeat those near them, a number the same in digits or words ("9" and
    "nine")."""
    x = numbers_to_digits([fillers_norm(w.word) for w in heard])
    y = numbers_to_digits([fillers_norm(w.word) for w in near])
    longest = difflib.SequenceMatcher(None, x, y, autojunk=False).find_longest_match(0, len(x), 0, len(y)).size
    return longest >= REPEATS_NEIGHBOURS * len(x)


def uncovered_runs(regions: Sequence[Region], words: Sequence) -> list[tuple[float, float]]:
    """The parts of the speech `regions` (seconds) that no word's span touches, in order. A word covers at most
    `longest_s` from its start: when the model stops early it stretches its last word over the speech it did not
    write (an "and" of 6 s at the end of a window), and that speech is not heard."""
    spans = sorted((w.start, covered_end(w)) for w in words)
    out = []
    for r in regions:
        t = r.start
        for a, b in spans:
            if b <= t or a >= r.end:
                continue
            if a > t:
                out.append((t, a))
            t = max(t, b)
        if r.end > t:
            out.append((t, r.end))
    return out


def longest_s(word: str) -> float:
    """The longest the written word `word` can take to say: MAX_WORD_S, and SAID_WORD_S more for each further word
    a number written in digits is said as ("£31,000" is "thirty-one thousand pounds", 2 s of a slow voice; capped
    at 1.5 s, its tail was heard again as more words: "£31.00. 0, 0,")."""
    return MAX_WORD_S + SAID_WORD_S * (spoken_length(word) - 1)


def covered_end(w) -> float:
    """Where the speech of word `w` can end: no later than `longest_s` after its start (a hesitation may be
    held)."""
    word = getattr(w, "word", None)
    return w.end if word is None or is_hesitation(word) else min(w.end, w.start + longest_s(word))


def trim_overlong(words: Sequence[RawWord]) -> list[RawWord]:
    """Words in time order, each stretched word (longer than `longest_s`) ending where the next word begins."""
    words = sorted(words, key=lambda w: w.start)
    out = []
    for i, w in enumerate(words):
        if w.end - w.start > longest_s(w.word) and i + 1 < len(words) and words[i + 1].start < w.end:
            w = RawWord(w.word, w.start, max(w.start, words[i + 1].start), w.probability)
        out.append(w)
    return out


AnyWord = TypeVar("AnyWord", RawWord, Word)


def timed_into_wordless(words: Sequence[AnyWord], regions: Sequence[Region]) -> list[AnyWord]:
    """`words` (time order) with each word both readings timed as no word is said (under MIN_WORD_S) given the
    speech without words right before it (or, failing that, right after it): as much of it as the word takes to
    say slowly (SAID_WORD_S a word said). The alignment puts a word it lost track of where the next sound starts,
    and the speech it was said in is left wordless; heard again on its own, that speech reads as the words beside
    it and is dropped (`repeats`). Real conversation: "Okay, and where exactly", both readings' "and" at
    7.24-7.28 s after 1.14 s of speech with no word, voiced at 6.35-6.65 s. So is a word a hesitation found in
    the audio left with no time (`add_hesitations`: "Okay. And um, how" with "And" wholly over the "um"'s
    sound, the drawn-out "and" before it left wordless, 1.2 s)."""
    out = list(words)
    runs = uncovered_runs(regions, out)
    taken: set[int] = set()
    for i, w in enumerate(out):
        if w.end - w.start >= MIN_WORD_S:
            continue
        takes = SAID_WORD_S * spoken_length(w.word)
        free = [k for k in range(len(runs)) if k not in taken]
        before = next((k for k in free if abs(runs[k][1] - w.start) <= RUN_MEETS_S), None)
        after = next((k for k in free if abs(runs[k][0] - w.end) <= RUN_MEETS_S), None)
        if before is not None:
            out[i] = replace(w, start=max(runs[before][0], w.end - takes))
            taken.add(before)
        elif after is not None:
            out[i] = replace(w, end=min(runs[after][1], w.start + takes))
            taken.add(after)
    return sorted(out, key=lambda w: w.start)


class SpanMap:
    """Seconds in the joined clip -> seconds in the source audio, for clips made of `spans`."""

    def __init__(self, spans: Sequence[tuple[float, float]]):
        self.spans = list(spans)
        self.clip_starts = list(itertools.accumulate((b - a for a, b in self.spans[:-1]), initial=0.0))

    def __call__(self, t: float, *, ending: bool) -> float:
        # a time on a join belongs to the span it ends (for an end) or begins (for a start)
        k = (bisect.bisect_left if ending else bisect.bisect_right)(self.clip_starts, t) - 1
        k = min(max(k, 0), len(self.spans) - 1)
        a, b = self.spans[k]
        return min(a + max(t - self.clip_starts[k], 0.0), b)

    def to_clip(self, s: float) -> float:
        """Seconds in the source audio -> seconds in the joined clip (a time cut out maps to the next span's start)."""
        k = max(bisect.bisect_right([a for a, _ in self.spans], s) - 1, 0)
        a, b = self.spans[k]
        return self.clip_starts[k] + min(max(s - a, 0.0), b - a)


def looks_like_a_loop(segments: Sequence[RawSegment], speech_s: float) -> bool:
    words = [fillers_norm(w.word) for s in segments for w in s.words]
    if speech_s > 0 and len(words) / speech_s > MAX_WORDS_PER_S:
        return True
    if any(s.compression_ratio > MAX_COMPRESSION_RATIO for s in segments):
        return True
    return trigram_repeats_back_to_back(words) >= MAX_REPEATED_TRIGRAMS


def trigram_repeats_back_to_back(words: Sequence[str], longest: int = LOOP_PHRASE_WORDS) -> int:
    """The most times three words come again in a stretch that repeats one phrase of up to `longest` words back to
    back ("okay" six times: "okay okay okay" four times; a phrase of three or more words written four times: four)."""
    most = 0
    for n in range(1, longest + 1):
        run = 0  # words so far that equal the word n before them
        for k in range(n, len(words) + 1):
            if k < len(words) and words[k] == words[k - n]:
                run += 1
                continue
            stretch = run + n
            if stretch >= 3:
                most = max(most, (stretch - 3) // n + 1)
            run = 0
    return most


def looks_hallucinated(segment: RawSegment) -> bool:
    """Whisper's own signals for text it made up: it thinks there is no speech and is unsure of the words."""
    return segment.no_speech_prob > NO_SPEECH_PROB and segment.avg_logprob < MIN_AVG_LOGPROB


def snap_to_speech(words: list[Word], group: Sequence[Region]) -> list[Word]:
    """Move word edges onto the speech the VAD heard: Whisper's word times drift into silences, which
    would hide pauses and stretch the speaking span. A word belongs to the region holding most of it."""
    out = []
    for w in words:
        best = max(group, key=lambda r: (min(w.end, r.end) - max(w.start, r.start), -abs(r.start - w.start)))
        start = min(max(w.start, best.start), best.end)
        end = max(min(w.end, best.end), start)
        out.append(replace(w, start=round(start, 3), end=round(end, 3)))
    return out


def paused_after(samples: np.ndarray, words: Sequence[Word], regions: Sequence[Region]) -> list[bool]:
    """For each word, whether a short silence follows it (from the middle of the word to the middle of the next).
    Whisper often stretches a word over the pause after it, or starts the next word inside it, so look at the
    audio, not only at the word times."""
    if not words:
        return []
    floor = silence_floor_db(samples, regions, FRAME_S)
    out = []
    for w, nxt in zip(words, list(words[1:]) + [None]):
        if nxt is None:
            out.append(False)
            continue
        # the second half of the word, the gap, and the first half of the next word: the model stretches a word
        # over the pause after it, or starts the next word inside it
        start = w.start + 0.5 * (w.end - w.start)
        end = nxt.start + 0.5 * (nxt.end - nxt.start)
        db = frame_db(samples[int(start * SAMPLE_RATE): int(max(end, start) * SAMPLE_RATE)], FRAME_S)
        out.append(_longest_run(db < floor) * FRAME_S >= SHORT_PAUSE_S)
    return out


def _longest_run(mask: np.ndarray) -> int:
    best = cur = 0
    for v in mask:
        cur = cur + 1 if v else 0
        best = max(best, cur)
    return best


def untranscribed_seconds(regions: Sequence[Region], words: Sequence[Word]) -> float:
    """Speech time (per the VAD) that no word covers."""
    covered = 0.0
    for r in regions:
        spans = sorted((max(w.start, r.start), min(w.end, r.end)) for w in words if w.end > r.start and w.start < r.end)
        cur_s = cur_e = None
        for a, b in spans:
            if cur_e is None or a > cur_e:
                if cur_e is not None:
                    covered += cur_e - cur_s
                cur_s, cur_e = a, b
            else:
                cur_e = max(cur_e, b)
        if cur_e is not None:
            covered += cur_e - cur_s
    return max(0.0, speech_seconds(list(regions)) - covered)


def acoustic_fillers(engine: Engine, samples: np.ndarray, regions: Sequence[Region], words: Sequence[Word]
                     ) -> list[Word]:
    """Hesitations the model left out of the running transcript. Candidates are voiced stretches the VAD
    heard that no word covers and that hold a steady voiced run (a held vowel or hum); each is confirmed
    by decoding it apart from its sentence, where nothing around it lets the model smooth it away, and
    kept only if it comes back as um/uh."""
    written = [w for w in words if w.filler]
    candidates = []  # (stretch start, stretch end, voiced run inside it)
    for r in regions:
        inside = sorted((w for w in words if w.end > r.start and w.start < r.end), key=lambda w: w.start)
        edges = [r.start] + [x for w in inside for x in (w.start, w.end)] + [r.end]
        for a, b in zip(edges[::2], edges[1::2]):
            if not ACOUSTIC_MIN_S <= b - a <= ACOUSTIC_MAX_S:
                continue
            if any(w.end > a - ACOUSTIC_NEAR_FILLER_S and w.start < b + ACOUSTIC_NEAR_FILLER_S for w in written):
                continue  # the model already wrote the hesitation here
            span = voiced_hesitation(samples[int(a * SAMPLE_RATE): int(b * SAMPLE_RATE)])
            if span is not None:
                candidates.append((a, b, span))
    found = []
    for a, b, span in candidates:
        heard = confirm_apart(engine, samples, a, b)
        if heard:
            found.append(Word(heard, round(a + span[0], 3), round(a + span[1], 3), None, True, "acoustic"))
    return found


def confirm_apart(engine: Engine, samples: np.ndarray, a: float, b: float) -> str | None:
    """Decode the stretch a..b (with a margin) on its own, followed by a little silence. The hesitation
    it comes back as ("um", "uh"), or None. Words the model puts in the silence after it are its own
    padding ("Thank you."), not part of the stretch. (One stretch per pass: stretches decoded together
    colour each other and their word times smear.)"""
    piece = samples[int(max(0.0, a - CHUNK_MARGIN_S) * SAMPLE_RATE): int((b + CHUNK_MARGIN_S) * SAMPLE_RATE)]
    clip = np.concatenate([piece, np.zeros(int(ACOUSTIC_TRAILING_SILENCE_S * SAMPLE_RATE), np.float32)])
    heard = flatten_words(engine.transcribe(clip, initial_prompt=VERBATIM_PROMPT, max_tokens=ACOUSTIC_MAX_TOKENS))
    piece_s = piece.size / SAMPLE_RATE
    mine = [w for w in heard if midpoint(w) <= piece_s]
    return fillers_norm(mine[0].word) if mine and all(is_hesitation(w.word) for w in mine) else None


def build_transcript(words: Sequence[Word], engine: Engine) -> Transcript:
    verbatim = " ".join(w.word for w in words)
    text = clean_text(words)
    return Transcript(text=text, verbatim=verbatim, language="en", model=engine.model_name, engine=engine.name,
                      words=list(words))


def clean_text(words: Sequence[Word]) -> str:
    """The transcript without fillers, punctuation kept where it attached to a removed filler."""
    out: list[str] = []
    for w in words:
        if w.filler:
            tail = w.word[len(w.word.rstrip(".?!")):]
            if tail and out and not out[-1].endswith((".", "?", "!")):
                out[-1] += tail
            continue
        out.append(w.word)
    text = " ".join(out)
    if text:
        text = text[0].upper() + text[1:]
    # a removed filler may have left a sentence starting lower case
    return _capitalise_sentences(text)


def _capitalise_sentences(text: str) -> str:
    chars = list(text)
    up = True
    for i, c in enumerate(chars):
        if up and c.isalpha():
            chars[i] = c.upper()
            up = False
        elif c in ".?!":
            up = True
    return "".join(chars)


def analyze_samples(
    samples: np.ndarray,
    engine: Engine,
    *,
    file: str | None = None,
    role: str | None = None,
    values: Sequence[str] | None = None,
    question: str | None = None,
    words: Sequence[Word] | None = None,
    warnings: Sequence[str] = (),
    speech: Sequence[Region] | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> dict:
    """Analyse one answer. Pass `words` (and the `speech` regions heard) when they were already
    transcribed (streamed while recording)."""
    samples = np.asarray(samples, dtype=np.float32)
    all_warnings = list(warnings)
    if words is None:
        words, w, speech = transcribe_all(engine, samples)
        all_warnings += w
    elif speech is None:
        speech = speech_regions(samples)
    words = list(words)
    transcript = build_transcript(words, engine)
    if not words and NO_SPEECH not in all_warnings:
        all_warnings.append(NO_SPEECH)
    level = speech_level_db(samples, speech) if words else None
    if level is not None and level < QUIET_MICROPHONE_DB:
        all_warnings.append(f"the microphone was quiet (your speech reached about {level:.0f} dBFS; "
                            f"{SPEECH_LEVEL_DB:.0f} or louder is usual): raise its input level or sit closer "
                            "before a real interview")
    # nothing heard, nothing to measure: no table of zeros (as for a written answer)
    delivery = asdict(measure(words, samples, transcript.text, thresholds, speech)) if words else None
    doc = {
        "schema_version": SCHEMA_VERSION,
        "software_version": __version__,
        "created_at": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "file": file,
        "question": question,
        "duration_s": round(samples.size / SAMPLE_RATE, 3),
        "transcript": asdict(transcript),
        "delivery": delivery,
        "content": analyze_content(transcript.text, words, role=role, values=values, question=question,
                                   thresholds=thresholds) if words else None,
        "warnings": all_warnings,
    }
    return doc


def analyze_content(text: str, words: Sequence[Word] | None = None, *, role=None, values=None, question=None,
                    thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    return content_mod.judge(text, words=words, role=role, values=values, question=question,
                             thresholds=thresholds)


def analyze_text(text: str, *, file: str | None = None, role=None, values=None, question=None,
                 thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """A written answer: the same document with `content` and no `delivery`."""
    text = text.strip()
    return {
        "schema_version": SCHEMA_VERSION,
        "software_version": __version__,
        "created_at": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "file": file,
        "question": question,
        "duration_s": None,
        "transcript": {"text": text, "verbatim": text, "language": "en", "model": None, "engine": None, "words": []},
        "delivery": None,
        "content": analyze_content(text, None, role=role, values=values, question=question, thresholds=thresholds),
        "warnings": [] if text else ["empty answer"],
    }
