"""Nothing the person said is thrown away: words the model is unsure of are kept and marked (shown grey in
review and in the HTML report), speech the one-pass decoder skipped is heard again, and only evidence that
holds for another language (not low confidence alone) makes the "not English" warning."""
import shutil

import numpy as np
import pytest

from conftest import JFK, shared, wer
from speech_fixtures import NEURAL, neural_voice_available, say, speak_answer
from voice_interviewer import analysis
from voice_interviewer.analysis import analyze_samples, uncovered_runs
from voice_interviewer.audio import load_audio
from voice_interviewer.fillers import filler_items
from voice_interviewer.hesitation import Hesitation
from voice_interviewer.records import Word
from voice_interviewer.transcribe import RawSegment, RawWord
from voice_interviewer.vad import Region, speech_regions

GERMAN = ("Ich habe im letzten Jahr ein wichtiges Projekt zu spät abgegeben, weil ich die Arbeit unterschätzt habe. "
          "Seitdem plane ich jede Aufgabe gemeinsam mit dem Team und prüfe den Zeitplan jede Woche.")
NOT_ENGLISH = "did not sound like English"
ROOM_SCRIPT = ("I {like}, missed my sales target one quarter. [0.6] I like Python, and I would like to keep using it. "
               "[0.6] I had been treating {like}, the deadline as the client's problem. [0.6] We reopened with "
               "photographs in place of the {you know}, textiles. [0.6] Do you know the answer?")
# A dense answer: a full 28 s window of speech with short pauses (where the one-pass decoder used to stop
# early and leave the end of the window without words).
DENSE = ("Last spring I led the release of our billing dashboard and missed the launch date by two weeks. "
         "I had promised the date before I checked how much testing the new invoices needed. "
         "When I saw that we would slip I told my manager and the client straight away. "
         "We agreed on a new plan the same afternoon and shipped two weeks late without a single billing error. "
         "I learned to estimate with the people who do the work and to say early when a date is at risk. "
         "Since then I build a buffer into every plan and I check it with the team every Monday morning.")


def longest_uncovered(samples, words) -> float:
    runs = uncovered_runs(speech_regions(samples), [Region(w["start"], w["end"]) for w in words])
    return max((b - a for a, b in runs), default=0.0)


class ScriptedEngine:
    """Stands in for Whisper in a unit test of the keep-or-re-read logic: returns given segments, and
    records which prompts it was called with."""

    name, model_name = "scripted", "scripted"

    def __init__(self, *, prompted, plain):
        self.prompted, self.plain, self.prompts = prompted, plain, []

    def transcribe(self, samples, *, initial_prompt=None, max_tokens=None, greedy=False):
        self.prompts.append(initial_prompt)
        return self.plain if initial_prompt is None else self.prompted


class ByClipLength(ScriptedEngine):
    """Stands in for Whisper where the clip heard decides the answer: `long` for a clip over 4 s, else `short`;
    records each clip's length in samples."""

    def __init__(self, long, short):
        super().__init__(prompted=[], plain=[])
        self.long, self.short = long, short

    def transcribe(self, samples, **kwargs):
        self.prompts.append(samples.size)
        return self.long if samples.size > 16000 * 4 else self.short


def segment(words, logprob, start=0.0):
    raw = tuple(RawWord(w, start + 0.4 * i, start + 0.4 * i + 0.3, p) for i, (w, p) in enumerate(words))
    return RawSegment(raw[0].start, raw[-1].end, " ".join(w for w, _ in words), logprob, 0.05, 1.2, raw)


def reading(words):
    """A segment of a 5 s clip whose words have the given (word, start, end, probability)."""
    raw = tuple(RawWord(w, a, b, p) for w, a, b, p in words)
    return RawSegment(raw[0].start, raw[-1].end, " ".join(w[0] for w in words), -0.5, 0.05, 1.2, raw)


def heard_in_two_readings(plain_words, verbatim_words, speech_s, speech):
    """The words `hear` keeps, as text, of a 5 s clip the plain and verbatim readings wrote as given, with one
    stretch of `speech` (start, end) heard."""
    engine = ScriptedEngine(prompted=[reading(verbatim_words)], plain=[reading(plain_words)])
    words, *_ = analysis.hear(engine, np.zeros(16000 * 5, np.float32), speech_s, None, [speech])
    return " ".join(w.word for w in words)


def timed_segment(words, end_s=2.0):
    """A sure reading (each word p 0.9) of a clip 0..`end_s` s whose words have the given (word, start, end)."""
    raw = tuple(RawWord(w, a, b, 0.9) for w, a, b in words)
    return RawSegment(0.0, end_s, " ".join(w for w, _, _ in words), -0.3, 0.05, 1.2, raw)


def test_a_segment_the_old_guard_dropped_keeps_its_words():
    """avg_logprob -1.1 and mean word probability 0.4: the old "unintelligible" guard removed such segments.
    Now the words stay, marked unclear, when the second reading (with the prompt) is no surer."""
    unsure = segment([("we", 0.5), ("shipped", 0.3), ("it", 0.6), ("late", 0.2)], -1.1)
    same = segment([("we", 0.45), ("shipped", 0.3), ("it", 0.5), ("late", 0.25)], -1.2)
    engine = ScriptedEngine(prompted=[same], plain=[unsure])
    words, unclear, _ = analysis.hear(engine, np.zeros(16000 * 2, np.float32), 1.8)
    assert [w.word for w in words] == ["we", "shipped", "it", "late"]
    assert engine.prompts == [None, analysis.VERBATIM_PROMPT]  # read as Whisper does, then with the prompt
    assert len(unclear) == 1 and not unclear[0].foreign  # the same words twice: unclear, not another language


GUESSES = [("if", 0.3), ("haberim", 0.2), ("lets", 0.3), ("tanyar", 0.2), ("and", 0.3), ("wish", 0.2),
           ("to", 0.3), ("forget", 0.2)]


def test_the_surer_reading_is_kept_and_disagreeing_readings_are_evidence_of_another_language():
    unsure = segment(GUESSES, -1.3)
    surer = segment([("i", 0.9), ("have", 0.8), ("in", 0.9), ("the", 0.8), ("last", 0.9), ("year", 0.8),
                     ("a", 0.9), ("project", 0.8)], -0.4)
    words, unclear, _ = analysis.hear(ScriptedEngine(prompted=[surer], plain=[unsure]), np.zeros(64000, np.float32),
                                      3.5)
    assert [w.word for w in words] == [w.word for w in surer.words]
    assert unclear == []  # the kept reading is sure
    other = segment([("so", 0.3), ("shait", 0.2), ("a", 0.3), ("given", 0.25), ("my", 0.3), ("lifted", 0.2),
                     ("up", 0.3), ("hammer", 0.2)], -1.2)
    words, unclear, _ = analysis.hear(ScriptedEngine(prompted=[other], plain=[unsure]), np.zeros(64000, np.float32),
                                      3.5)
    assert len(words) == 8 and any(u.foreign for u in unclear)  # both unsure over 3 s and they disagree
    short = segment(GUESSES[:4], -1.3)  # the same over 1.5 s: a few unclear words are no evidence of a language
    words, unclear, _ = analysis.hear(ScriptedEngine(prompted=[segment(GUESSES[4:], -1.2)], plain=[short]),
                                      np.zeros(32000, np.float32), 1.8)
    assert unclear and not any(u.foreign for u in unclear)


def test_unsure_readings_that_share_half_their_words_are_english_heard_badly():
    """An English sentence through a room (the Festival voice, 5.5 s): both readings unsure, and they differ in
    six words of fifteen. That is English the model hears badly, not another language: the words are kept and
    marked, with no "not English". Readings sharing less than half their words are still evidence of one."""
    plain = segment([(w, 0.45) for w in "by the night shift last winter I miss the two observations and the "
                     "post-operative patient".split()], -1.0)
    verbatim = segment([(w, 0.45) for w in "by the next shift last winter I missed the two observations that "
                        "opposed to our participation".split()], -1.0)
    words, unclear, _ = analysis.hear(ScriptedEngine(prompted=[verbatim], plain=[plain]),
                                      np.zeros(16000 * 7, np.float32), 6.0)
    assert [w.word for w in words] == [w.word for w in plain.words]
    assert unclear and not any(u.foreign for u in unclear)
    assert not analysis.readings_disagree(plain.words, verbatim.words)  # 9 of 15 shared
    guessed = segment([(w, 0.45) for w in "my dad knight shipped last winter I miss them too".split()], -1.0)
    assert analysis.readings_disagree(plain.words[:10], guessed.words)  # 4 of 10 shared


def test_a_reading_that_loops_lends_no_words_to_the_other():
    """A short piece heard again (1.4 s around an "uh"): the plain reading loops ("thank you very much, and" over
    and over, surer than the other), the verbatim one is unsure. The unsure words stay; none of the loop comes in."""
    unsure = segment([("I'm", 0.3), ("going", 0.2), ("to", 0.3), ("say", 0.2), ("hope", 0.4), ("for.", 0.5)], -1.1)
    loop = segment([(w, 0.8) for w in "thank you very much, and".split() * 20], -0.3)
    words, unclear, _ = analysis.hear(ScriptedEngine(prompted=[unsure], plain=[loop]), np.zeros(16000 * 2, np.float32),
                                      1.4)
    assert [w.word for w in words] == [w.word for w in unsure.words]
    assert unclear and not any(u.foreign for u in unclear)


def test_a_reading_that_loops_over_unsure_guesses_is_evidence_of_another_language():
    """German after English (espeak-ng, tiny.en on a CPU without AVX-512): the plain reading guesses unsure words
    for 3 s, the verbatim one writes "I'm just, uh," forty times over the same audio. The loop is the other reading
    failing to follow the speech: "not English", the guesses kept. A loop elsewhere in the clip (over a held "uh")
    says nothing of the unsure stretch."""
    unsure = segment(GUESSES, -1.3)
    loop_there = segment([(w, 0.8) for w in "I'm just, uh,".split() * 40], -0.2)
    words, unclear, _ = analysis.hear(ScriptedEngine(prompted=[loop_there], plain=[unsure]),
                                      np.zeros(16000 * 4, np.float32), 3.5)
    assert [w.word for w in words] == [w for w, _ in GUESSES]
    assert any(u.foreign for u in unclear)
    loop_elsewhere = segment([(w, 0.8) for w in "thank you very much, and".split() * 20], -0.3, start=5.0)
    words, unclear, _ = analysis.hear(ScriptedEngine(prompted=[loop_elsewhere], plain=[unsure]),
                                      np.zeros(16000 * 8, np.float32), 6.0)
    assert unclear and not any(u.foreign for u in unclear)


PATIENT = ("All right. So that's all the questions I have. And just to clarify, does your pain come and go or is it "
           "constant? Yeah. So initially, it would come and go. But now, for the first two hours, it would come and "
           "go. And when I would have the spin when I was eating, it would come and go.")


def test_a_phrase_said_again_further_on_is_not_a_loop():
    """A real conversation (GAS0003, 25 s): the patient says "come and go" four times, and both readings write it,
    sure of every word. The old rule (any three words written four times) took both readings for loops and
    warned "did not sound like English". A loop writes its phrase back to back."""
    plain = segment([(w, 0.93) for w in PATIENT.split()], -0.2)
    verbatim = segment([(w, 0.9) for w in PATIENT.replace("So that's", "so, um, that's").split()], -0.2)
    assert not analysis.looks_like_a_loop([plain], 25.0)
    words, unclear, _ = analysis.hear(ScriptedEngine(prompted=[verbatim], plain=[plain]),
                                      np.zeros(16000 * 26, np.float32), 25.0)
    assert [w.word for w in words if w.word != "um,"] == PATIENT.split()
    assert unclear == []
    assert analysis.looks_like_a_loop([segment([(w, 0.9) for w in "it would come and go".split() * 4], -0.2)], 25.0)


def test_a_loop_in_both_readings_is_written_once():
    """A piece heard again where both readings loop (a short "okay" between turns of a real conversation): what
    the model heard is kept, marked, but once, not fourteen times."""
    plain = segment([("Okay,", 0.6)] * 14, -0.6)
    verbatim = segment([("Okay.", 0.6)] * 7, -0.6)
    words, unclear, _ = analysis.hear(ScriptedEngine(prompted=[verbatim], plain=[plain]),
                                      np.zeros(16000 * 2, np.float32), 1.0)
    assert [w.word for w in words] == ["Okay,"]
    assert len(unclear) == 1
    german = segment([(w, 0.5) for w in "ich bin der ich bin der ich bin der nicht".split()], -0.8)
    words, *_ = analysis.hear(ScriptedEngine(prompted=[german], plain=[german]), np.zeros(16000 * 2, np.float32), 1.0)
    assert [w.word for w in words] == ["ich", "bin", "der", "nicht"]


def test_a_word_given_no_time_takes_the_other_readings_time():
    """The plain reading aligned "So" at 1.45-1.45 after a second of silence-free speech; the verbatim reading heard
    the same "so," held from 0.47 to 1.45. The word takes that time (between its neighbours), so the held word is
    not a stretch of speech without words; a word the other reading did not write keeps its point. A word laid
    over the sound of a hesitation is timed the same way."""
    plain = timed_segment([("Yeah.", 0.0, 0.3), ("So", 1.45, 1.45), ("this", 1.45, 1.8), ("pain", 1.9, 1.9)])
    verbatim = timed_segment([("Yeah,", 0.0, 0.25), ("so,", 0.47, 1.45), ("this", 1.45, 1.7), ("hurts", 1.9, 2.0)])
    words, *_ = analysis.hear(ScriptedEngine(prompted=[verbatim], plain=[plain]), np.zeros(16000 * 2, np.float32), 1.9)
    assert [(w.word, w.start, w.end) for w in words] == [
        ("Yeah.", 0.0, 0.3), ("So", 0.47, 1.45), ("this", 1.45, 1.8), ("pain", 1.9, 1.9)]
    # a word laid over 1.7 s, the sound of the "uh" that reading left out: the other reading's time, after it
    plain = timed_segment([("And", 0.0, 0.28), ("recently", 0.28, 2.0), ("have", 2.0, 2.3)])
    verbatim = timed_segment([("and,", 0.68, 0.68), ("uh,", 0.76, 1.06), ("recently,", 1.82, 1.98),
                              ("have", 2.2, 2.28)])
    words, *_ = analysis.hear(ScriptedEngine(prompted=[verbatim], plain=[plain]), np.zeros(16000 * 3, np.float32), 2.2)
    assert [(w.word, w.start, w.end) for w in words] == [
        ("And", 0.0, 0.28), ("uh,", 0.76, 1.06), ("recently", 1.82, 1.98), ("have", 2.0, 2.3)]


def test_a_word_given_no_time_takes_the_time_of_the_same_word_at_its_place_in_the_other_reading():
    """A real "chest. Okay. And, um, so" (CAR0001 at 45 s): the plain reading gave "Okay." and "And" no length, at
    47.36 and 48.64, tenths of a second after the verbatim reading's "Okay." (46.66-47.18) and "And," (47.68-48.32),
    which left 1.2 s of speech without words. The words at the same place in the other reading's sequence lend their
    times; a word the other reading lacks keeps its point."""
    plain = timed_segment([("chest.", 0.0, 0.5), ("Okay.", 1.7, 1.7), ("And", 3.0, 3.0), ("so", 3.0, 3.3),
                           ("well", 3.9, 3.9)], 4.0)
    verbatim = timed_segment([("chest.", 0.0, 0.45), ("Okay.", 1.0, 1.5), ("And,", 2.0, 2.6), ("um,", 2.9, 3.0),
                              ("so", 3.0, 3.3), ("then", 3.4, 3.8)], 4.0)
    words, *_ = analysis.hear(ScriptedEngine(prompted=[verbatim], plain=[plain]), np.zeros(16000 * 4, np.float32), 3.8)
    assert [(w.word, w.start, w.end) for w in words] == [
        ("chest.", 0.0, 0.5), ("Okay.", 1.0, 1.5), ("And", 2.0, 2.6), ("um,", 2.9, 3.0), ("so", 3.0, 3.3),
        ("well", 3.9, 3.9)]


def test_a_restart_the_plain_reading_wrote_once_comes_from_the_verbatim_reading():
    """A real "Uh, I couldn't go, uh, I couldn't go to my classes" (GAS0004 at 17 s): the plain reading wrote "I
    couldn't go" once, and the 1.6 s of speech where it was first said had no words; heard again on its own that
    stretch reads as an echo of the words after it. The verbatim reading's first "I couldn't go" lies in that
    speech, and is kept. Where the kept words already cover the speech, or with no speech given (a piece heard
    again), nothing is added; nor is a word of the verbatim reading that repeats nothing."""
    plain = timed_segment([("bad.", 0.0, 0.4), ("I", 2.5, 3.0), ("couldn't", 3.0, 3.6), ("go", 3.6, 3.7),
                           ("to", 3.7, 3.8), ("my", 3.8, 4.0), ("classes.", 4.0, 4.6)], 5.0)
    verbatim = timed_segment([("bad.", 0.0, 0.45), ("Uh,", 0.8, 0.8), ("I", 0.9, 1.0), ("couldn't", 1.0, 1.6),
                              ("go,", 1.6, 2.1), ("uh,", 2.1, 2.5), ("I", 2.6, 2.8), ("couldn't", 2.8, 3.6),
                              ("go", 3.6, 3.7), ("to", 3.7, 3.8), ("my", 3.8, 4.0), ("classes.", 4.0, 4.6)], 5.0)

    def heard(verbatim_reading, speech):
        engine = ScriptedEngine(prompted=[verbatim_reading], plain=[plain])
        words, *_ = analysis.hear(engine, np.zeros(16000 * 5, np.float32), 4.4, None, speech)
        return [w.word for w in words]

    assert heard(verbatim, [(0.0, 0.5), (0.7, 4.6)]) == [
        "bad.", "Uh,", "I", "couldn't", "go,", "uh,", "I", "couldn't", "go", "to", "my", "classes."]
    assert heard(verbatim, ()) == ["bad.", "Uh,", "uh,", "I", "couldn't", "go", "to", "my", "classes."]
    assert "go," not in heard(verbatim, [(0.0, 0.5), (2.4, 4.6)])  # the first "I couldn't go" in a silence
    other = timed_segment([("bad.", 0.0, 0.45), ("we", 0.9, 1.0), ("moved", 1.0, 1.6), ("house,", 1.6, 2.1)]
                          + [(w.word, w.start, w.end) for w in verbatim.words[5:]], 5.0)
    assert heard(other, [(0.0, 0.5), (0.7, 4.6)]) == ["bad.", "uh,", "I", "couldn't", "go", "to", "my", "classes."]


def test_a_restart_whose_first_word_lent_its_time_to_the_kept_reading_still_comes_from_the_verbatim_reading():
    """GAS0004 at 17 s as it reads on AVX-512: the plain reading gave "I" no time (19.30-19.30) and laid "couldn't"
    over the "uh, I couldn't"; aligned with the verbatim reading (which ties "pretty bad. I couldn't go" into one
    run with its first copy), the kept "I" took the first copy's time, and the speech of that copy's "couldn't go,"
    was left without words. The copy's other words are the restart's; the kept "I" stays where it was lent."""
    plain = timed_segment([("been", 0.0, 0.1), ("pretty", 0.1, 0.25), ("bad.", 0.25, 0.4), ("I", 2.3, 2.3),
                           ("couldn't", 2.3, 3.6), ("go", 3.6, 3.7), ("to", 3.7, 3.8), ("my", 3.8, 4.0),
                           ("classes.", 4.0, 4.6)], 5.0)
    verbatim = timed_segment([("been", 0.0, 0.1), ("pretty", 0.1, 0.25), ("bad.", 0.25, 0.45), ("Uh,", 0.8, 0.8),
                              ("I", 0.9, 1.0), ("couldn't", 1.0, 1.6), ("go,", 1.6, 2.1), ("uh,", 2.1, 2.5),
                              ("I", 2.6, 2.8), ("couldn't", 2.8, 3.6), ("go", 3.6, 3.7), ("to", 3.7, 3.8),
                              ("my", 3.8, 4.0), ("classes.", 4.0, 4.6)], 5.0)
    engine = ScriptedEngine(prompted=[verbatim], plain=[plain])
    words, *_ = analysis.hear(engine, np.zeros(16000 * 5, np.float32), 4.4, None, [(0.0, 0.5), (0.7, 4.6)])
    assert [(w.word, w.start) for w in words] == [
        ("been", 0.0), ("pretty", 0.1), ("bad.", 0.25), ("Uh,", 0.8), ("I", 0.9), ("couldn't", 1.0), ("go,", 1.6),
        ("uh,", 2.1), ("couldn't", 2.3), ("go", 3.6), ("to", 3.7), ("my", 3.8), ("classes.", 4.0)]


def test_the_benchmark_tells_a_word_lost_in_wordless_speech_from_a_sound_with_no_word():
    """benchmarks/accuracy.py counts the reference's words missing where speech was left without words: three for
    a restart dropped there ("I couldn't go" of GAS0004), none where the reference has no word between the words
    around the stretch, or the words missing are elsewhere."""
    from benchmarks.accuracy import missing_at, norm

    words = [{"word": w, "start": a, "end": b} for w, a, b in [
        ("bad.", 15.5, 16.3), ("Uh,", 17.0, 17.4), ("uh,", 18.98, 19.78), ("I", 19.81, 20.0), ("couldn't", 20.2, 20.6),
        ("go", 20.6, 20.7), ("to", 20.7, 20.8), ("my", 20.8, 21.0), ("classes.", 21.0, 21.5)]]
    assert missing_at(norm("pretty bad. I couldn't go, uh I couldn't go to my classes"), words, 17.4, 18.98) == 3
    assert missing_at(norm("pretty bad. I couldn't go to my classes"), words, 17.4, 18.98) == 0
    assert missing_at(norm("bad. I couldn't go to my classes, had to skip"), words, 17.4, 18.98) == 0


def test_a_word_put_in_the_silence_takes_the_other_readings_time_over_the_speech():
    """A real "Um, I... usually make" (GAS0004 at 579 s): the speech ends at 1.96 s, and the plain reading put
    "I" at 1.93-2.43, all but 0.03 s of it in the silence after; the verbatim reading heard "I," over 1.05-2.25.
    Given the speech the VAD heard, the word takes the time that lies over it, and the second of speech before it
    is no longer without words. Without the speech (a piece heard again), or where the other reading's word lies
    in the silence too, the word keeps its time."""
    plain = timed_segment([("I", 1.93, 2.43), ("usually", 2.43, 3.35), ("make", 3.35, 3.9)], 4.0)
    verbatim = timed_segment([("Um,", 0.85, 0.85), ("I,", 1.05, 2.25), ("uh,", 2.71, 3.07), ("usually", 3.15, 3.41)],
                             4.0)
    speech = [(0.04, 1.96), (2.83, 4.0)]

    def heard(verbatim_reading, speech_heard):
        engine = ScriptedEngine(prompted=[verbatim_reading], plain=[plain])
        words, *_ = analysis.hear(engine, np.zeros(16000 * 4, np.float32), 3.0, None, speech_heard)
        return next((w.start, w.end) for w in words if w.word == "I")

    assert heard(verbatim, speech) == (1.05, 2.25)
    assert heard(verbatim, ()) == (1.93, 2.43)
    in_the_silence = timed_segment([("I,", 1.97, 2.4), ("usually", 3.15, 3.41)], 4.0)
    assert heard(in_the_silence, speech) == (1.93, 2.43)


def test_a_few_words_misheard_in_a_sure_sentence_come_from_the_surer_reading():
    """A real "Last spring a batch I had signed, uh, off failed a customer inspection" (espeak, audio_dev d04 at
    6 s): the plain reading wrote "I'm a chai hand signer of" there (mean probability 0.36) in a segment it was
    otherwise sure of, so the segment was kept whole; the verbatim reading wrote "a match I had signed, uh, off"
    (0.80). The words between the ones both wrote come from the surer reading. Where the plain reading was
    sure of its words, or the other is no surer or unsure too, the plain reading's stay."""
    sure = [("Last", 0.24, 0.46, 0.9), ("spring", 0.46, 0.76, 0.9)]
    after = [("customer", 2.94, 3.56, 0.9), ("inspection", 3.56, 4.2, 0.9), ("because", 4.2, 4.82, 0.9)]
    misheard = [("I'm", 0.76, 0.92, 0.33), ("a", 0.92, 1.08, 0.38), ("chai", 1.08, 1.32, 0.14),
                ("hand", 1.32, 1.54, 0.36), ("signer", 1.54, 2.36, 0.4), ("of", 2.36, 2.66, 0.52),
                ("failed", 2.66, 2.94, 0.86)]
    heard_well = [("a", 0.9, 0.9, 0.55), ("match", 0.9, 1.16, 0.87), ("I", 1.16, 1.44, 0.86),
                  ("had", 1.44, 1.62, 0.84), ("signed,", 1.62, 2.08, 0.89), ("uh,", 2.34, 2.34, 0.18),
                  ("off", 2.54, 2.62, 0.76), ("failed", 2.62, 2.94, 0.61), ("a", 2.94, 3.3, 0.75)]

    def heard(plain_words, verbatim_words):
        return heard_in_two_readings(sure + plain_words + after, sure + verbatim_words + after, 4.6, (0.2, 4.9))

    assert heard(misheard, heard_well) == ("Last spring a match I had signed, uh, off failed a customer inspection "
                                           "because")
    sure_of_it = [(w, a, b, 0.9) for w, a, b, _ in misheard]
    assert "chai hand signer" in heard(sure_of_it, heard_well)
    for cap in (0.4, 0.5):  # no surer; or surer, but unsure too (both guess)
        no_surer = [(w, a, b, min(p, cap)) for w, a, b, p in heard_well]
        assert "chai hand signer" in heard(misheard, no_surer)


def test_a_run_the_other_reading_timed_out_of_order_is_not_taken():
    """A real "a three hundred, um, person conference" (espeak, audio_dev d06 at 3 s, clip seconds): the plain
    reading wrote "300-person" (0.60), the verbatim one "300," and "person" (0.77, 0.90), its "person" timed after
    the plain reading's "conference" starts. Taken, the words read "300, conference person"; the plain reading's
    stay. Timed in order, the same run is taken, as is a sure "we'll" for an unsure "well," (CAR0004 at 4.5 s):
    the same letters are not the same words."""
    before = [("booked", 1.3, 1.5, 0.9), ("a", 1.5, 1.7, 0.9), ("venue", 1.7, 1.9, 0.9), ("for", 1.9, 2.18, 0.9),
              ("a", 2.18, 2.3, 0.8)]
    after = [("conference", 3.84, 4.36, 0.99), ("without", 4.36, 4.82, 0.98)]

    def heard(plain_words, verbatim_words):
        return heard_in_two_readings(before + plain_words + after, before + verbatim_words + after, 3.6, (1.2, 4.9))

    joined_up = [("300-person", 2.3, 3.84, 0.5956)]
    assert heard(joined_up, [("300,", 2.3, 2.84, 0.77), ("person", 3.86, 3.88, 0.90)]) == (
        "booked a venue for a 300-person conference without")
    assert "a 300, person conference" in heard(joined_up, [("300,", 2.3, 2.84, 0.77), ("person", 3.2, 3.8, 0.90)])
    assert "a we'll conference" in heard([("well,", 2.3, 3.8, 0.27)], [("we'll", 2.6, 3.8, 0.63)])


def test_a_hesitation_the_plain_reading_wrote_as_an_unsure_word_is_not_written_twice(monkeypatch):
    """A real "deal become my, um, whole plan" (flite, e13 at 2 s, clip seconds): the plain reading wrote "my home,
    whole plan", unsure of "home," (0.16); the verbatim reading heard "um," there, and the encoder a hesitation
    over it (stood in for here). The "um" is kept, "home" is not. A word stays where the encoder heard no
    hesitation over it (espeak's "did not give uh, us enough", whose verbatim reading left "us" out), where the
    model was sure of it (the neural voice's "Then the um, app store"), or where it has two syllables ("Okay," read
    as "Um," at the start of CAR0001)."""
    before = [("exciting", 2.0, 2.46, 0.99), ("deal", 2.46, 2.78, 1.0), ("become", 2.78, 3.24, 0.99)]
    after = [("whole", 4.1, 4.36, 0.85), ("plan.", 4.36, 5.04, 0.97)]

    def heard(plain_word, encoder_heard=((3.7, 4.0),)):
        monkeypatch.setattr(analysis, "hesitations_in",
                            lambda engine, clip: [Hesitation("um", a, b, 0.9) for a, b in encoder_heard])
        plain = before + [("my", 3.24, 3.58, 0.98), plain_word, ("whole", 4.08, 4.38, 0.55),
                          ("plan.", 4.38, 5.06, 0.96)]
        verbatim = before + [("my,", 3.24, 3.58, 0.98), ("um,", 4.02, 4.08, 0.38)] + after
        return heard_in_two_readings(plain, verbatim, 3.0, (2.0, 5.0))

    assert heard(("home,", 3.58, 4.08, 0.16)) == "exciting deal become my um, whole plan."
    assert heard(("home,", 3.58, 4.08, 0.16), encoder_heard=()) == "exciting deal become my home, um, whole plan."
    assert heard(("home,", 3.58, 4.08, 0.74)) == "exciting deal become my home, um, whole plan."
    assert heard(("Okay,", 3.58, 4.08, 0.27)) == "exciting deal become my Okay, um, whole plan."


def test_a_word_misheard_alone_in_a_run_heard_well_takes_the_surer_reading(monkeypatch):
    """A real "when did this pain start? It started" (CAR0002 at 14.5 s, 14 s earlier here): the plain reading
    wrote "paint" (0.53), the verbatim one "pain" (0.85); the words after differ too ("It" 0.61, "I" 0.33), so the
    run between the words both wrote is surer in the plain reading as a whole. The word alone takes the surer
    reading's; it stays where the other is no surer by OTHER_BETTER_BY, and "It" stays. Kept, "paint" was written
    into the context of every stretch after, and five more "pain"s were heard as "paint", one as "painting"."""
    monkeypatch.setattr(analysis, "hesitations_in", lambda engine, clip: [])
    plain = [("Okay", 0.96, 0.96, 0.83), ("and", 0.96, 1.92, 0.94), ("when", 1.92, 2.06, 0.94),
             ("did", 2.06, 2.22, 0.82), ("this", 2.22, 2.42, 1.0), ("paint", 2.42, 2.6, 0.53),
             ("start?", 2.6, 3.26, 1.0), ("It", 4.48, 4.76, 0.61), ("started", 4.76, 4.92, 0.99)]

    def heard(pain_p):
        verbatim = [("Okay.", 0.46, 0.9, 0.97), ("And,", 1.46, 1.9, 0.99), ("when", 1.96, 2.06, 0.91),
                    ("did", 2.06, 2.2, 0.84), ("this", 2.2, 2.42, 1.0), ("pain", 2.42, 2.62, pain_p),
                    ("start?", 2.62, 3.44, 0.99), ("I", 4.36, 4.7, 0.33), ("started", 4.7, 4.9, 0.99)]
        return heard_in_two_readings(plain, verbatim, 4.0, (0.4, 5.0)).split()

    assert heard(0.85)[4:8] == ["this", "pain", "start?", "It"]
    assert heard(0.55)[4:6] == ["this", "paint"]


def test_a_last_word_the_plain_reading_stopped_short_of_comes_from_the_verbatim_reading(monkeypatch):
    """A real "where is this pain located exactly?" (GAS0002 at 19 s, 19 s earlier here): the plain reading
    stopped after "located" (3.68 s), 0.77 s before the speech's end, too little to be heard again on its own; the
    verbatim reading wrote "exactly?" (0.81) over it. The word is taken; not where the model was unsure of it,
    where the speech ends before its middle, or where the plain reading wrote it too."""
    monkeypatch.setattr(analysis, "hesitations_in", lambda engine, clip: [])
    plain = [("when", 1.56, 2.58, 0.45), ("where's", 2.58, 2.86, 0.46), ("this", 2.86, 3.04, 0.9),
             ("pain", 3.04, 3.26, 0.99), ("located", 3.26, 3.68, 0.99)]

    def heard(exactly_p=0.81, speech_end=4.45, plain_words=plain):
        verbatim = [("when,", 1.88, 2.2, 0.64), ("where", 2.26, 2.74, 0.94), ("is", 2.74, 2.86, 0.41),
                    ("this", 2.86, 3.04, 0.97), ("pain", 3.04, 3.24, 0.98), ("located", 3.24, 3.68, 0.99),
                    ("exactly?", 3.68, 4.62, exactly_p)]
        return heard_in_two_readings(plain_words, verbatim, 3.0, (1.67, speech_end)).split()[-2:]

    assert heard() == ["located", "exactly?"]
    assert heard(exactly_p=0.5) == ["pain", "located"]
    assert heard(speech_end=3.9) == ["pain", "located"]
    assert heard(plain_words=plain[:-1] + [("located", 3.26, 3.5, 0.99), ("exactly", 3.5, 3.68, 0.9)]) == [
        "located", "exactly"]


def test_a_word_timed_after_wordless_speech_takes_the_other_readings_time_over_it():
    """A real "occasionally. Maybe one or two drinks" (CAR0004 at 388 s): the plain reading timed "Maybe" at
    389.97-390.05, after 1.16 s of speech with no word; the verbatim reading heard "maybe" over 388.75-389.97. The
    word takes that time (after its neighbour). Where the other reading's word lies no further over it, or the speech
    before the word is a pause the VAD did not hear as speech, the word keeps its time."""
    plain = timed_segment([("drink", 0.03, 0.21), ("occasionally.", 0.21, 0.81), ("Maybe", 1.97, 2.05),
                           ("one", 2.05, 2.51)], 3.0)
    verbatim = timed_segment([("think", 0.05, 0.25), ("occasionally", 0.25, 0.75), ("maybe", 0.75, 1.97),
                              ("one", 1.97, 2.49)], 3.0)

    def heard(verbatim_reading, speech):
        engine = ScriptedEngine(prompted=[verbatim_reading], plain=[plain])
        words, *_ = analysis.hear(engine, np.zeros(16000 * 3, np.float32), 2.5, None, speech)
        return next((w.start, w.end) for w in words if w.word == "Maybe")

    assert heard(verbatim, [(0.0, 3.0)]) == (0.81, 1.97)
    assert heard(verbatim, [(0.0, 0.9), (1.9, 3.0)]) == (1.97, 2.05)  # a pause before it: timed as said
    late_too = timed_segment([("occasionally", 0.25, 0.75), ("maybe", 1.95, 2.05), ("one", 2.05, 2.49)], 3.0)
    assert heard(late_too, [(0.0, 3.0)]) == (1.97, 2.05)


def test_a_word_given_no_time_after_wordless_speech_takes_the_time_to_say_it_there():
    """A real "Okay, and where exactly" (MSK0001 at 6 s): both readings put "and" at 7.24-7.28, after 1.14 s of
    speech with no word (voiced at 6.35-6.65 s). The word takes as much of that speech as it takes to say slowly,
    right before it; where no wordless speech meets it, or the word was timed as said, it keeps its time."""
    group = [Region(5.92, 9.89)]
    words = [RawWord("Okay,", 5.92, 6.10, 0.6), RawWord("and", 7.24, 7.28, 0.9), RawWord("where", 7.28, 7.5, 0.9),
             RawWord("is", 7.9, 8.36, 0.9), RawWord("uh", 8.36, 8.36, 0.9), RawWord("the", 8.36, 8.6, 0.9)]
    out = analysis.timed_into_wordless(words, group)
    assert [(w.word, round(w.start, 2), w.end) for w in out][:3] == [
        ("Okay,", 5.92, 6.10), ("and", round(7.28 - analysis.SAID_WORD_S, 2), 7.28), ("where", 7.28, 7.5)]
    assert [(a, round(b, 2)) for a, b in uncovered_runs(group, out) if b <= 7.5] == [(6.10, 6.78)]
    assert ("uh", 8.36, 8.36) in [(w.word, w.start, w.end) for w in out]  # no wordless speech beside it
    said = [RawWord("Okay,", 5.92, 6.10, 0.6), RawWord("and", 7.14, 7.28, 0.9)]
    assert analysis.timed_into_wordless(said, group) == said


def test_span_map_maps_source_seconds_to_the_joined_clip_and_back():
    """The clip joins 1-3 s and 10-12 s of the source: 11 s is 3 s into the clip, and 3 s maps back to 11 s."""
    spans = analysis.SpanMap([(1.0, 3.0), (10.0, 12.0)])
    assert [spans.to_clip(s) for s in (1.0, 2.5, 10.0, 11.0, 12.0)] == [0.0, 1.5, 2.0, 3.0, 4.0]
    assert spans(3.0, ending=False) == 11.0

def test_hesitations_come_from_the_verbatim_reading():
    """The words of the plain reading, the "uh" the prompted reading wrote between them."""
    verbatim = segment([("we", 0.9), ("shipped,", 0.9), ("uh,", 0.8), ("it", 0.9), ("lately", 0.6)], -0.3)
    kept = [w for w in verbatim.words if w.word != "uh,"]
    plain = RawSegment(0.0, 2.0, "we shipped it late", -0.2, 0.05, 1.2,
                       tuple(RawWord(w.word.strip(",").replace("lately", "late"), w.start, w.end, 0.9) for w in kept))
    words, unclear, _ = analysis.hear(ScriptedEngine(prompted=[verbatim], plain=[plain]), np.zeros(32000, np.float32),
                                      1.8)
    assert [w.word for w in words] == ["we", "shipped", "uh,", "it", "late"]
    assert unclear == []


def test_the_you_of_you_know_comes_back_from_the_verbatim_reading():
    """The plain reading wrote "I know, apologised" where the verbatim one heard "I, you know, apologised":
    the filler is "you know" (said, and counted in the pace), and only the dropped "you" is taken from it.
    "I know the client" (no comma: not a filler) is left alone."""
    verbatim = segment([("I,", 0.9), ("you", 0.7), ("know,", 0.9), ("apologised", 0.9)], -0.3)
    plain_words = (RawWord("I", 0.0, 0.3, 0.9), RawWord("know,", 0.8, 1.1, 0.9), RawWord("apologised", 1.2, 1.5, 0.9))
    plain = RawSegment(0.0, 1.5, "I know, apologised", -0.3, 0.05, 1.2, plain_words)
    words, *_ = analysis.hear(ScriptedEngine(prompted=[verbatim], plain=[plain]), np.zeros(32000, np.float32), 1.5)
    assert [w.word for w in words] == ["I", "you", "know,", "apologised"]
    no_comma = segment([("I", 0.9), ("you", 0.7), ("know", 0.9), ("the", 0.9), ("client", 0.9)], -0.3)
    plain_no_comma = segment([("I", 0.9), ("know", 0.9), ("the", 0.9), ("client", 0.9)], -0.3)
    words, *_ = analysis.hear(ScriptedEngine(prompted=[no_comma], plain=[plain_no_comma]), np.zeros(32000, np.float32),
                              1.5)
    assert [w.word for w in words] == ["I", "know", "the", "client"]


def test_a_word_stretched_over_speech_the_model_skipped_does_not_hide_it():
    """At the end of a window the model may stop early and stretch its last word over the rest ("and" from 16.1 to
    22.5 s): that speech counts as heard by no word, so it is heard again; the stretched word then ends where the
    words heard again begin. A held "um" may be long."""
    speech = [Region(15.4, 17.7), Region(18.9, 22.4)]
    stretched = [Word("website", 15.7, 16.1, 0.9), Word("and", 16.1, 22.5, 0.7)]
    runs = uncovered_runs(speech, stretched)
    assert sum(b - a for a, b in runs if a >= 18.9) == pytest.approx(3.5)
    assert uncovered_runs([Region(1.0, 3.0)], [Word("um", 1.0, 3.0, 0.9)]) == []
    heard_again = [RawWord("I", 18.9, 19.2, 0.9), RawWord("cared", 19.2, 19.5, 0.9)]
    trimmed = analysis.trim_overlong([RawWord("and", 16.1, 22.5, 0.7)] + heard_again)
    assert [(w.word, w.end) for w in trimmed][:2] == [("and", 18.9), ("I", 19.2)]


def test_a_number_written_in_digits_may_take_as_long_as_its_words():
    """"£31,000" is "thirty-one thousand pounds": 2.2 s of a slow voice is its own speech, not speech the model
    skipped (heard again, its tail came back as "0, 0,"). A word of one spoken word over 2.2 s still hides speech."""
    speech = [Region(7.3, 9.5)]
    assert uncovered_runs(speech, [Word("£31,000.", 7.3, 9.5, 0.9)]) == []
    assert uncovered_runs(speech, [Word("raised", 7.3, 9.5, 0.9)]) == [(pytest.approx(8.8), 9.5)]
    kept = analysis.trim_overlong([RawWord("£31,000.", 7.3, 9.5, 0.9), RawWord("Response", 9.4, 9.9, 0.9)])
    assert [(w.word, w.end) for w in kept] == [("£31,000.", 9.5), ("Response", 9.9)]


def test_pieces_split_off_at_punctuation_are_one_word_again():
    """faster-whisper starts a new word at a punctuation token: "£30" ",000" and "300" "-person" come apart."""
    from collections import namedtuple

    from voice_interviewer.transcribe import _joined_pieces

    W = namedtuple("W", "word start end probability")
    raw = [W(" about", 0.0, 0.3, 0.9), W(" £30", 0.3, 0.8, 0.9), W(",000", 0.8, 1.1, 0.7), W(" of", 1.1, 1.2, 0.9),
           W(" a", 1.2, 1.3, 0.9), W(" 300", 1.3, 1.7, 0.9), W("-person", 1.7, 2.0, 0.8), W(" event.", 2.0, 2.4, 0.9)]
    words = _joined_pieces(raw)
    assert [w.word for w in words] == ["about", "£30,000", "of", "a", "300-person", "event."]
    assert (words[1].start, words[1].end, words[1].probability) == (0.3, 1.1, 0.7)


def test_a_stretch_is_read_on_from_the_words_before_it():
    """As Whisper reads on across its 30 s windows, the plain reading of a window goes on from the last words said
    before it (um/uh left out, as Whisper leaves them out of its own text); the verbatim reading keeps its prompt."""
    class Recording(ScriptedEngine):
        def transcribe(self, samples, *, initial_prompt=None, max_tokens=None, greedy=False):
            self.prompts.append(initial_prompt)
            return self.prompted if greedy else self.plain

    before = [Word(w, i, i + 0.5, 0.9) for i, w in enumerate(["so", "um,", "we", "shipped", "it", "late."])]
    assert analysis.context_of(before) == "so we shipped it late."
    many = [Word(str(i), i, i + 0.5, 0.9) for i in range(300)]
    assert analysis.context_of(many).split() == [str(i) for i in range(300 - analysis.CONTEXT_WORDS, 300)]
    assert analysis.context_of([]) is None
    seg = segment([("then", 0.9), ("we", 0.9), ("fixed", 0.9), ("it", 0.9)], -0.2)
    engine = Recording(prompted=[seg], plain=[seg])
    analysis.hear(engine, np.zeros(32000, np.float32), 1.6, analysis.context_of(before))
    assert engine.prompts == ["so we shipped it late.", analysis.VERBATIM_PROMPT]


def test_the_comma_that_sets_a_filler_off_comes_from_the_verbatim_reading():
    """The plain reading wrote "treating like the deadline", the verbatim one "treating like, the deadline": the
    "like" is set off, so it is a filler. A "like" the verbatim reading did not set off stays a verb."""
    verbatim = segment([("treating", 0.9), ("like,", 0.8), ("the", 0.9), ("deadline", 0.9)], -0.3)
    plain = segment([("treating", 0.9), ("like", 0.8), ("the", 0.9), ("deadline", 0.9)], -0.3)
    words, *_ = analysis.hear(ScriptedEngine(prompted=[verbatim], plain=[plain]), np.zeros(32000, np.float32), 1.6)
    assert [w.word for w in words] == ["treating", "like,", "the", "deadline"]
    assert [w.filler for w in analysis.tag_fillers(words)] == [False, True, False, False]
    verb = segment([("i", 0.9), ("like", 0.8), ("python", 0.9)], -0.3)
    words, *_ = analysis.hear(ScriptedEngine(prompted=[verb], plain=[verb]), np.zeros(32000, np.float32), 1.2)
    assert not any(w.filler for w in analysis.tag_fillers(words))


def test_a_set_off_filler_the_plain_reading_wrote_over_comes_from_the_verbatim_reading():
    """Through a room the plain reading may write another word over a filler ("was slight interiors") or leave it
    out ("open the email app"), where the verbatim reading heard it set off ("was like, interwers", "the, you know,
    after"): the filler is taken, the kept words stay. A "like" the verbatim reading did not set off may be a
    verb, and a filler the plain reading wrote is not taken twice."""
    def hear(plain_words, verbatim_words):
        plain, verbatim = segment(plain_words, -0.3), segment(verbatim_words, -0.3)
        words, *_ = analysis.hear(ScriptedEngine(prompted=[verbatim], plain=[plain]), np.zeros(40000, np.float32), 2.2)
        return words, analysis.tag_fillers(words)

    words, tagged = hear([("was", 0.9), ("slight", 0.5), ("interiors", 0.6), ("within", 0.9)],
                         [("was", 0.9), ("like,", 0.7), ("interwers", 0.4), ("within", 0.9)])
    assert [w.word for w in words] == ["was", "slight", "like,", "interiors", "within"]
    assert [w.word for w in tagged if w.filler] == ["like,"]
    words, tagged = hear([("open", 0.9), ("the", 0.9), ("email", 0.6), ("app", 0.9), ("for", 0.9)],
                         [("opened", 0.9), ("the,", 0.9), ("you", 0.6), ("know,", 0.8), ("after", 0.5)])
    assert [w.word for w in tagged if not w.filler] == ["open", "the", "email", "app", "for"]
    assert [w.word for w in tagged if w.filler] == ["you", "know,"]
    assert [i.word for i in filler_items(tagged)] == ["you know"]  # the two words side by side
    # (the model no surer of "like" than of "bike", or the word alone would be taken: `surer_where_they_differ`)
    words, tagged = hear([("I", 0.9), ("bike", 0.5), ("python", 0.9)], [("I", 0.9), ("like", 0.55), ("python", 0.9)])
    assert [w.word for w in words] == ["I", "bike", "python"]
    words, tagged = hear([("it", 0.9), ("was,", 0.9), ("like,", 0.9), ("a", 0.9), ("mess", 0.9)],
                         [("it", 0.9), ("was,", 0.9), ("like,", 0.9), ("a", 0.9), ("mess", 0.9)])
    assert [w.word for w in words] == ["it", "was,", "like,", "a", "mess"]


def test_words_heard_again_start_inside_the_stretch_no_word_covered():
    """Speech left without words is heard again with a margin before it, where the re-heard piece may time its first
    word ("you" of "the, you know, textiles") before the last word already kept ("the"): it starts after that word,
    so the words stay in the order said and "you know," stays one filler."""
    group = [Region(22.0, 24.6)]
    kept = [RawWord("in", 22.24, 22.56, 0.9), RawWord("place", 22.56, 22.88, 0.9), RawWord("of", 22.88, 23.16, 0.9),
            RawWord("the", 23.16, 23.26, 0.9)]
    at = 23.26 - analysis.UNCOVERED_MARGIN_S - analysis.heard_span(23.26, 24.6, 25.0)[0]  # in the clip heard again
    again = (RawWord("you", at, at + 0.24, 0.7), RawWord("know,", at + 0.24, at + 0.74, 0.9),
             RawWord("textiles", at + 0.84, at + 1.4, 0.9))
    seg = RawSegment(at, at + 1.4, "you know, textiles", -0.3, 0.05, 1.2, again)
    found, _ = analysis.hear_uncovered(ScriptedEngine(prompted=[seg], plain=[seg]), np.zeros(16000 * 25, np.float32),
                                       group, kept)
    assert [w.word for w in found] == ["you", "know,", "textiles"]
    assert found[0].start >= kept[-1].end
    words = analysis.trim_overlong(kept + found)
    assert [w.word for w in words][-4:] == ["the", "you", "know,", "textiles"]
    assert [w.filler for w in analysis.tag_fillers(words)][-3:] == [True, True, False]


def heard_again_in_piece(kept, group, words):
    """The words `hear_uncovered` finds, in time order, for the speech of `group` the `kept` words leave
    uncovered, where the piece heard again reads as `words` (word, start, end in the clip; p 0.95)."""
    raw = tuple(RawWord(w, a, b, 0.95) for w, a, b in words)
    seg = RawSegment(raw[0].start, raw[-1].end, " ".join(w for w, _, _ in words), -0.2, 0.05, 1.2, raw)
    found, _ = analysis.hear_uncovered(ScriptedEngine(prompted=[seg], plain=[seg]),
                                       np.zeros(16000 * 30, np.float32), group, kept)
    return [w.word for w in sorted(found, key=lambda w: w.start)]


def timed_in_piece(words, a, b):
    """(word, start, end) in the source's seconds, put in the clip heard again for the stretch a..b."""
    lo = analysis.heard_span(a, b, 30.0)[0]
    return [(w, start - lo, end - lo) for w, start, end in words]


def test_a_kept_word_heard_again_beside_the_stretch_is_not_written_twice():
    """A short stretch no word covered is heard again with a second of the audio before it, which holds kept words;
    of those the piece heard again, none is written twice, even timed into the stretch's margin. The neural voice's
    e79: kept "I had just followed", the piece heard "I had just followed what ..." and timed its "followed" into
    the margin; the transcript read "just followed followed what". Each piece is the words of a real reading."""
    assert analysis.heard_span(21.72, 23.6, 30.0)[0] == pytest.approx(21.72 - analysis.HEARD_WITH_S)
    kept = [RawWord(w, a, b, 0.97) for w, a, b in [("I", 20.77, 20.98), ("had", 20.98, 21.18),
                                                    ("just", 21.18, 21.48), ("followed", 21.48, 21.72)]]
    piece = timed_in_piece([("I", 20.72, 20.98), ("had", 20.98, 21.2), ("just", 21.2, 21.5),
                            ("followed", 21.5, 21.74), ("what", 21.74, 22.1), ("the", 22.1, 22.32),
                            ("other", 22.32, 22.64), ("carers", 22.64, 23.02), ("did.", 23.02, 23.52)], 21.72, 23.6)
    assert heard_again_in_piece(kept, [Region(20.7, 23.6)], piece) == ["what", "the", "other", "carers", "did."]
    # a kept word heard again spelt a little differently is that word (flite's e21: "online." kept, "line.")
    kept = [RawWord("online.", 18.46, 19.14, 0.9)]
    piece = timed_in_piece([("line.", 19.2, 19.5), ("I", 19.62, 19.92), ("hadn't", 19.92, 20.42),
                            ("checked", 20.42, 20.88)], 19.52, 21.28)
    assert heard_again_in_piece(kept, [Region(18.4, 19.14), Region(19.52, 21.28)], piece) == [
        "I", "hadn't", "checked"]
    # the kept words after the last one heard again were said there too (flite's e67 in the room: "tested the"
    # kept, "test it was" heard; "it" is the kept "the" misheard and timed into the margin, "was" is new)
    kept = [RawWord(w, a, b, 0.9) for w, a, b in [("have", 21.32, 21.62), ("done", 21.62, 21.94),
                                                   ("tested", 21.94, 22.34), ("the", 22.34, 22.6)]]
    piece = timed_in_piece([("test", 21.6, 22.22), ("it", 22.34, 22.5), ("was", 22.5, 22.62),
                            ("test", 22.62, 22.9), ("myself.", 22.9, 23.42)], 22.6, 23.71)
    assert heard_again_in_piece(kept, [Region(21.3, 23.71)], piece) == ["was", "test", "myself."]


def test_the_first_word_heard_again_is_kept_by_its_end_and_a_word_is_written_for_one_stretch_only():
    """A real "located exactly? So it's just, uh, in the upper right" (GAS0002 at 22 s): the speech after
    "exactly?" had no words but a kept "uh," (26.00-26.08), which cut it in two stretches, heard again in one piece
    from 1 s before the first. The piece's reading timed its first word, "So", from the start of the audio heard
    (23.55-24.77; said from 24.6): by its middle it lay before the stretch, and was lost. Its "in" (25.69-26.35) lay
    in the margins of both stretches, and was written for each: "just in uh, in the". A first word timed so is
    kept if it ends inside the stretch and is no kept word heard again."""
    kept = [RawWord(w, a, b, 0.95) for w, a, b in [("where", 21.26, 21.74), ("is", 21.74, 21.86),
                                                   ("this", 21.86, 22.04), ("pain", 22.04, 22.26),
                                                   ("located", 22.26, 22.68), ("exactly?", 22.68, 23.7),
                                                   ("uh,", 26.0, 26.08)]]
    group = [Region(20.67, 23.7), Region(24.55, 27.6)]

    def heard_again(first):
        words = [first] + [("it's", 24.77, 25.37), ("just", 25.37, 25.69), ("in", 25.69, 26.35), ("uh,", 26.03, 26.07),
                           ("the", 26.35, 26.89), ("upper", 26.89, 27.07), ("right.", 27.07, 27.59)]
        return heard_again_in_piece(kept, group, timed_in_piece(words, 24.55, 26.0))

    assert analysis.heard_span(24.55, 26.0, 30.0)[0] == pytest.approx(23.55)
    assert heard_again(("So", 23.55, 24.77)) == ["So", "it's", "just", "in", "the", "upper", "right."]
    assert heard_again(("exactly.", 23.55, 24.77))[0] == "it's"  # the kept "exactly?" (in the audio heard) again
    assert heard_again(("So", 23.55, 24.6))[0] == "it's"  # ends in the stretch's margin: no evidence it is new


def test_a_pause_is_heard_where_the_model_starts_the_next_word_early():
    """The model may start the word after a pause inside it ("like" 0.5-1.0 s, a 0.25 s pause, the next word timed
    from 1.1 s): the pause is looked for up to the middle of the next word, dry and through a room (where the echo
    fills the first part of the pause). A 0.06 s stop between words is no pause."""
    from benchmarks.accuracy import in_a_room

    rng = np.random.default_rng(1)

    def voiced(seconds):
        t = np.arange(int(seconds * 16000)) / 16000
        return (0.3 * np.sin(2 * np.pi * 140 * t) * (1 + 0.3 * rng.standard_normal(t.size))).astype(np.float32)

    def audio(gap_s):
        quiet = np.zeros(8000, np.float32)
        return np.concatenate([quiet, voiced(0.5), np.zeros(int(gap_s * 16000), np.float32), voiced(0.8), quiet,
                               voiced(1.0), quiet])

    for gap_s, paused in ((0.25, True), (0.06, False)):
        x = audio(gap_s)
        nxt = 1.0 + gap_s
        words = [Word("like", 0.5, 1.0, 0.9), Word("the", min(1.1, nxt), nxt + 0.8, 0.9),
                 Word("deadline", nxt + 1.3, nxt + 2.3, 0.9)]
        regions = [Region(0.5, 1.0), Region(nxt, nxt + 0.8), Region(nxt + 1.3, nxt + 2.3)]  # the voiced parts
        for heard in (x, in_a_room(x)):
            assert analysis.paused_after(heard, words, regions)[0] is paused, (gap_s, heard is x)


def test_low_confidence_is_marked_per_word(engine, tmp_path):
    """Fast whispered speech: the model is unsure of some words. They are kept in the transcript, marked
    in analysis.json, greyed in `review` and carry the `unsure` class in the report."""
    from voice_interviewer.report import transcript_html
    from voice_interviewer.review import UNSURE_STYLE, transcript_text

    x = np.concatenate([np.zeros(8000, np.float32),
                        say("I told my manager about the delay straight away, and we agreed a new plan with the "
                            "client on the same afternoon.", "en-us+whisper", 260),
                        np.zeros(16000, np.float32)])
    a = analyze_samples(x, engine)
    words = a["transcript"]["words"]
    marked = [w for w in words if w["low_confidence"]]
    assert marked, [(w["word"], w["probability"]) for w in words]
    assert all(w["probability"] < analysis.LOW_CONFIDENCE_P for w in marked)
    assert all(not w["low_confidence"] for w in words if w["probability"] is not None
               and w["probability"] >= analysis.LOW_CONFIDENCE_P)
    assert len(a["transcript"]["verbatim"].split()) == len(words)  # marked words are still in the transcript
    text = transcript_text(a)
    greyed = {text.plain[s.start:s.end] for s in text.spans if UNSURE_STYLE in str(s.style)}
    assert greyed == {w["word"] for w in marked}
    html = transcript_html(a)
    import re

    assert len(re.findall(r'class="w[^"]* unsure"', html)) == len(marked)


def test_the_report_shows_unsure_words_grey_in_a_browser(engine, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("Debian's chromium is not installed (scripts/setup.sh --test installs it)")
    from voice_interviewer.report import CSS, transcript_html

    a = {"transcript": {"words": [
        {"word": "We", "start": 0.1, "end": 0.3, "filler": False, "low_confidence": False},
        {"word": "shipped", "start": 0.3, "end": 0.7, "filler": False, "low_confidence": True},
        {"word": "late.", "start": 0.7, "end": 1.0, "filler": False, "low_confidence": False}]}}
    page_file = tmp_path / "t.html"
    page_file.write_text(f"<html><head><style>{CSS}</style></head><body>{transcript_html(a)}</body></html>")
    pw = sync_api.sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(page_file.as_uri())
        colours = page.eval_on_selector_all(".w", "els => els.map(e => getComputedStyle(e).color)")
        browser.close()
    finally:
        pw.stop()
    assert colours[0] == colours[2] and colours[1] != colours[0]
    r, g, b = (int(v) for v in colours[1][colours[1].index("(") + 1:-1].split(",")[:3])
    assert abs(r - g) < 20 and abs(g - b) < 30 and 100 < r < 200  # grey, lighter than the text


def test_a_dense_window_keeps_all_its_words(engine, tmp_path):
    """A 28 s window full of clear speech: every stretch the VAD heard has words (the one-pass decoder used to
    stop early and leave the window's end without any)."""
    answer = speak_answer(DENSE, tmp_path / "dense.wav", voice="en-gb-x-rp", rate_wpm=175)
    x = load_audio(answer.path)
    a = analyze_samples(x, engine)
    assert longest_uncovered(x, a["transcript"]["words"]) <= 1.0
    assert wer(answer.reference_text, a["transcript"]["text"]) < 0.2
    assert abs(a["delivery"]["wpm"] - answer.wpm) / answer.wpm < 0.08
    assert not [w for w in a["warnings"] if NOT_ENGLISH in w]


def test_a_neural_voice_answer_keeps_its_words(engine):
    """Optional, with ../shared: an answer whose last third the old pipeline lost (pace 20 % off)."""
    import json

    d = shared("eval", "audio_dev_piper")
    m = {m["id"]: m for m in json.loads((d / "manifest.json").read_text())}["e06"]
    x = load_audio(d / m["file"])
    a = analyze_samples(x, engine)
    assert longest_uncovered(x, a["transcript"]["words"]) <= 1.0
    assert abs(a["delivery"]["wpm"] - m["wpm"]) / m["wpm"] < 0.05
    heard = " ".join(w.strip(".,?!").lower() for w in a["transcript"]["text"].split())
    assert "anything about it either" in heard and "module feedback" in heard


@pytest.mark.parametrize("lead", ["english", "silence"])
def test_german_speech_warns_and_keeps_its_words(engine, lead):
    english = load_audio(JFK) if lead == "english" else np.zeros(8000, np.float32)
    x = np.concatenate([english, np.zeros(8000, np.float32), say(GERMAN, voice="de", rate_wpm=150),
                        np.zeros(16000, np.float32)])
    a = analyze_samples(x, engine)
    warned = [w for w in a["warnings"] if NOT_ENGLISH in w]
    assert len(warned) == 1, a["warnings"]
    german_start = english.size / 16000
    words = a["transcript"]["words"]
    assert [w for w in words if w["start"] > german_start]  # what the model heard there is kept
    if lead == "english":
        assert "ask not what your country can do for you" in a["transcript"]["text"].lower()
        start = int(warned[0].split("-")[0])
        assert start >= german_start - 1.5  # the warning names the German part, not the English


def test_english_answers_do_not_warn_of_another_language(engine, spoken):
    for answer in spoken.values():
        a = analyze_samples(load_audio(answer.path), engine)
        assert not [w for w in a["warnings"] if NOT_ENGLISH in w], (answer.voice, a["warnings"])


def test_words_keep_their_marks_through_the_pipeline():
    w = Word("late", 1.0, 1.4, 0.2, low_confidence=True)
    snapped = analysis.snap_to_speech([w], [Region(1.1, 2.0)])
    assert snapped[0].low_confidence and snapped[0].start == 1.1
    from voice_interviewer.fillers import tag_fillers

    assert tag_fillers(snapped)[0].low_confidence


def test_a_whole_run_of_speech_left_without_words_is_heard_again(engine):
    """The reading stopped after "...two weeks late." and wrote nothing for the short one after it: a whole
    run of speech between silences with no word is a word or more left out, heard again even when shorter than
    the edges a word's times may miss (REDECODE_UNCOVERED_S). A wordless run shorter than WORDLESS_REGION_S (a
    click, a breath) is not."""
    first, last = say("We shipped the new invoices two weeks late."), say("It was my fault.", rate_wpm=280)
    gap = np.zeros(int(0.8 * 16000), np.float32)
    x = np.concatenate([gap, first, gap, last, gap])
    regions = speech_regions(x)
    assert len(regions) == 2 and analysis.WORDLESS_REGION_S <= regions[1].duration < analysis.REDECODE_UNCOVERED_S
    edges = np.linspace(regions[0].start, regions[0].end, 9)  # eight words over the whole first run
    said = [RawWord(w, a, b, 0.9) for w, a, b in zip("We shipped the new invoices two weeks late.".split(), edges,
                                                      edges[1:])]
    found, _ = analysis.hear_uncovered(engine, x, regions, said)
    assert {"my", "fault"} <= {w.word.strip(".,!?").lower() for w in found}
    assert all(regions[1].start - 0.3 <= w.start and w.end <= regions[1].end + 0.3 for w in found)

    class Counting(ScriptedEngine):
        def transcribe(self, samples, **kwargs):
            self.prompts.append(samples.size)
            return []

    counting = Counting(prompted=[], plain=[])
    so_we = [RawWord("so", 1.0, 2.0, 0.9), RawWord("we", 2.0, 3.0, 0.9)]
    short = [Region(1.0, 3.0), Region(3.5, 3.8)]  # a 0.3 s wordless run
    analysis.hear_uncovered(counting, np.zeros(16000 * 5, np.float32), short, so_we)
    assert counting.prompts == []
    edge = [Region(1.0, 3.6)]  # 0.6 s at the end of a run that has words: a word's edge, not a missing word
    analysis.hear_uncovered(counting, np.zeros(16000 * 5, np.float32), edge, so_we)
    assert counting.prompts == []


def test_the_stretches_a_group_left_without_words_are_heard_in_one_pass_each_word_back_in_its_own():
    """Two stretches of one group left without words are heard again in one clip (one encoder pass, PIECE_GAP_S of
    silence between them), and every word heard goes back to the stretch it was said in, at its own time, or, when
    the model timed it in the silence, at the edge of the stretch nearer to it."""
    group = [Region(1.0, 8.0)]
    kept = [RawWord("so", 1.0, 1.4, 0.9), RawWord("we", 4.0, 4.4, 0.9), RawWord("shipped", 7.0, 8.0, 0.9)]
    # the pieces: 1.25-4.15 s at 0.0 s in the clip, then PIECE_GAP_S of silence, then 4.25-7.15 s
    second_at = 2.9 + analysis.PIECE_GAP_S
    heard = (RawWord("missed", 1.0, 1.4, 0.9), RawWord("the", 1.5, 1.6, 0.9), RawWord("um,", 3.0, 3.3, 0.9),
             RawWord("deadline", second_at + 1.1, second_at + 1.6, 0.9))
    seg = RawSegment(1.0, heard[-1].end, "missed the deadline", -0.3, 0.05, 1.2, heard)

    engine = ByClipLength([seg], [seg])
    found, _ = analysis.hear_uncovered(engine, np.zeros(16000 * 9, np.float32), group, kept)
    assert engine.prompts[:2] == [int((2.9 + analysis.PIECE_GAP_S + 2.9) * 16000)] * 2  # one clip, read twice
    assert len(engine.prompts) == 4  # then the ends of both pieces, left without words, once, in one clip
    # "um," timed in the silence after the first piece (the model's times drift at an edge) ends that piece
    assert [(w.word, w.start, w.end) for w in found] == [("missed", 2.25, 2.65), ("the", 2.75, 2.85),
                                                         ("um,", 4.15, 4.15), ("deadline", 5.35, 5.85)]


def test_an_um_heard_again_beside_the_one_already_written_is_that_one():
    group = [Region(1.0, 4.0)]
    kept = [RawWord("so,", 1.0, 1.4, 0.9), RawWord("um,", 1.4, 1.7, 0.9)]
    again = (RawWord("um,", 0.1, 0.4, 0.9), RawWord("we", 0.6, 0.8, 0.9), RawWord("missed", 0.9, 1.3, 0.9))
    seg = RawSegment(0.1, 1.3, "um, we missed", -0.3, 0.05, 1.2, again)
    found, _ = analysis.hear_uncovered(ScriptedEngine(prompted=[seg], plain=[seg]), np.zeros(16000 * 5, np.float32),
                                       group, kept)
    assert [w.word for w in found] == ["we", "missed"]


def test_a_stretch_the_shared_reading_left_without_words_is_heard_on_its_own():
    """Whisper may stop writing at the silence between the pieces: the piece after it is then heard alone."""
    group = [Region(1.0, 8.0)]
    kept = [RawWord("so", 1.0, 1.4, 0.9), RawWord("we", 4.0, 4.4, 0.9), RawWord("shipped", 7.0, 8.0, 0.9)]
    first = RawSegment(1.0, 1.4, "missed", -0.3, 0.05, 1.2, (RawWord("missed", 1.0, 1.4, 0.9),))
    alone = RawSegment(1.1, 1.6, "deadline", -0.3, 0.05, 1.2, (RawWord("deadline", 1.1, 1.6, 0.9),))

    engine = ByClipLength([first], [alone])  # stops at the gap in the clip of both pieces
    found, _ = analysis.hear_uncovered(engine, np.zeros(16000 * 9, np.float32), group, kept)
    assert [(w.word, w.start, w.end) for w in found] == [("missed", 2.25, 2.65), ("deadline", 5.35, 5.85)]
    assert engine.prompts[:4] == [int((2.9 + analysis.PIECE_GAP_S + 2.9) * 16000)] * 2 + [int(2.9 * 16000)] * 2
    # then the ends of both pieces, left without words, in one clip (and the end that clip left wordless alone)
    assert len(engine.prompts) == 8


def test_the_end_of_a_stretch_the_model_stopped_short_of_is_heard_again():
    """Festival's e51, 26 dB down: of a 3.8 s stretch heard again, the model wrote "The board insisted on the full
    office and" and stopped; the last 1.7 s ("in Munich on a much faster timeline") had no words. The end it left
    is heard again, on its own."""
    group = [Region(1.0, 6.0)]
    kept = [RawWord("so", 1.0, 1.4, 0.9)]  # 1.4-6.0 s left without words
    said = (RawWord("the", 0.15, 0.4, 0.9), RawWord("board", 0.5, 0.9, 0.9), RawWord("insisted", 1.0, 1.6, 0.9),
            RawWord("and", 1.7, 1.9, 0.9))
    stopped = RawSegment(0.15, 1.9, "the board insisted and", -0.3, 0.05, 1.2, said)
    rest = (RawWord("in", 0.15, 0.3, 0.9), RawWord("Munich", 0.35, 0.9, 0.9), RawWord("faster", 1.0, 1.5, 0.9),
            RawWord("timeline.", 1.6, 2.3, 0.9))
    heard_rest = RawSegment(0.15, 2.3, "in Munich faster timeline.", -0.3, 0.05, 1.2, rest)

    engine = ByClipLength([stopped], [heard_rest])  # stops early in the stretch, reads its end alone
    found, _ = analysis.hear_uncovered(engine, np.zeros(16000 * 7, np.float32), group, kept)
    assert [w.word for w in found] == ["the", "board", "insisted", "and", "in", "Munich", "faster", "timeline."]
    # the end, 3.15-6.0 s (after "and"), heard from its margin on: its words at their times in the recording
    assert found[3].end == pytest.approx(3.15) and found[4].start == pytest.approx(3.15)
    assert len(engine.prompts) == 4  # the stretch read twice, then its end read twice
    assert max(b - a for a, b in analysis.uncovered_runs(group, kept + found)) < analysis.REDECODE_UNCOVERED_S


def test_short_unsure_pieces_heard_together_are_not_another_language(monkeypatch):
    """Two 1 s stretches of a real conversation's unsure words ("uh, I, blood uh, pressure") heard again in one
    clip: the model's unsure, disagreeing stretch runs over both, the audio heard around them and the silence put
    between them, over FOREIGN_MIN_S of clip but 2 s of speech. That is no evidence of another language; 4 s of
    such speech in one piece still is."""
    lo, hi = analysis.heard_span(10.0, 11.0, 30.0)
    first_at, second_at = 10.0 - lo, (hi - lo) + analysis.PIECE_GAP_S + 10.0 - lo  # the stretches in the clip
    heard = [RawWord("uh,", first_at + 0.2, first_at + 0.5, 0.2), RawWord("I,", first_at + 0.6, first_at + 0.9, 0.2),
             RawWord("blood", second_at + 0.2, second_at + 0.6, 0.2)]
    monkeypatch.setattr(analysis, "hear", lambda engine, clip, speech_s, context=None: (
        heard, [analysis.Unclear(first_at + 0.2, second_at + 0.6, foreign=True)], []))
    out = analysis.heard_together(None, np.zeros(16000 * 30, np.float32), [(10.0, 11.0), (20.0, 21.0)])
    notes = [n for _, piece_notes in out for n in piece_notes]
    assert len(notes) == 2 and not any(n.foreign for n in notes)
    long_piece = [RawWord("das", 0.2, 0.6, 0.2), RawWord("war", 3.8, 4.2, 0.2)]
    monkeypatch.setattr(analysis, "hear", lambda engine, clip, speech_s, context=None: (
        long_piece, [analysis.Unclear(0.2, 4.4, foreign=True)], []))
    (_, notes), = analysis.heard_together(None, np.zeros(16000 * 30, np.float32), [(10.0, 15.0)])
    assert [n.foreign for n in notes] == [True]


def test_a_short_stretch_is_heard_in_its_place_and_audio_shared_by_two_is_heard_once():
    """A short stretch is heard again with the audio around it (cut out alone, a breath between turns became "Thank
    you."), and only the words inside it are kept; two stretches whose audio would overlap are one piece, so the
    model does not hear the same audio twice."""
    runs = [(10.0, 10.6), (11.0, 11.5)]
    lo, hi = analysis.heard_span(10.0, 10.6, 20.0)[0], analysis.heard_span(11.0, 11.5, 20.0)[1]
    assert lo < 10.0 - analysis.UNCOVERED_MARGIN_S and hi > 11.5 + analysis.UNCOVERED_MARGIN_S
    said = (RawWord("before", 9.1 - lo, 9.5 - lo, 0.9), RawWord("okay,", 10.05 - lo, 10.5 - lo, 0.9),
            RawWord("sure.", 11.05 - lo, 11.45 - lo, 0.9), RawWord("after", 11.9 - lo, 12.2 - lo, 0.9))
    seg = RawSegment(said[0].start, said[-1].end, "before okay, sure. after", -0.3, 0.05, 1.2, said)
    engine = ByClipLength([seg], [seg])
    out = analysis.heard_together(engine, np.zeros(16000 * 20, np.float32), runs)
    assert engine.prompts == [int((hi - lo) * 16000)] * 2  # one piece, no silence put in, read twice
    assert [[w.word for w in heard] for heard, _ in out] == [["okay,"], ["sure."]]
    assert [w.start for heard, _ in out for w in heard] == pytest.approx([10.05, 11.05])
    # a long stretch is speech enough on its own
    assert analysis.heard_span(10.0, 14.0, 20.0) == (10.0 - analysis.UNCOVERED_MARGIN_S, 14.0 + analysis.UNCOVERED_MARGIN_S)


def test_a_stretch_heard_again_hears_the_same_audio_however_long_the_silence_after_the_speech():
    """The streamed path hears its last window as soon as the speaker has been silent for a moment (SETTLED_SILENCE_S),
    `analyze` with all the silence that followed: a short stretch at the end of the speech, heard with the audio
    around it, must be heard the same in both, or the two transcripts differ."""
    from voice_interviewer.streaming import SETTLED_SILENCE_S

    group = [Region(1.0, 4.0)]
    kept = [RawWord("we", 1.0, 1.4, 0.9), RawWord("shipped", 1.4, 2.6, 0.9)]
    heard = []
    for silence_s in (SETTLED_SILENCE_S, 20.0):
        engine = ByClipLength([], [])
        analysis.hear_uncovered(engine, np.ones(int(16000 * (4.0 + silence_s)), np.float32), group, kept)
        heard.append(engine.prompts)
    assert heard[0] and heard[0] == heard[1]


def test_a_number_heard_again_in_digits_repeats_the_same_number_in_words():
    """A piece heard again that only repeats the words beside it is dropped, a number written in digits ("9.") the
    same as in words ("nine"); numbers read out digit by digit are so many numbers, not their sum."""
    from voice_interviewer.textnorm import numbers_to_digits

    near = [RawWord(w, i, i + 0.3, 0.9) for i, w in enumerate(["game", "nine", "one", "six"])]
    assert analysis.repeats([RawWord("9.", 0.0, 0.3, 0.6)], near)
    assert not analysis.repeats([RawWord("Brighton", 0.0, 0.3, 0.6)], near)
    assert numbers_to_digits("nine one six six".split()) == ["9", "1", "6", "6"]
    assert numbers_to_digits("three hundred and fifty".split()) == ["350"]
    assert numbers_to_digits("twenty one days".split()) == ["21", "days"]
    assert numbers_to_digits("one and two".split()) == ["1", "and", "2"]
    assert numbers_to_digits("two thousand and five".split()) == ["2005"]


def test_quiet_speech_in_a_long_silence_is_speech(monkeypatch):
    """A voice the VAD scores under its threshold all through (a poor microphone) is looked for again, at the
    VAD's own end-of-speech level, in the long silences between the speech it heard: those would be shortened
    before the model hears them, and the words lost. Only silences with speech after them are looked at, so the
    regions of the audio received so far are those of the whole recording (the live path's windows). (Silero
    here is a stand-in that knows where the loud and the quiet speech are; the real recording is below.)"""
    from voice_interviewer import vad

    loud = [Region(1.0, 3.0), Region(3.8, 5.0), Region(9.0, 11.0)]
    # in a short gap, a long one (a phrase, and a word said on its own: "okay", 0.25 s), after the end
    quiet = [Region(3.3, 3.5), Region(6.0, 7.0), Region(7.5, 7.75), Region(12.5, 13.5)]

    def silero(samples, threshold, min_speech_ms):
        a = float(samples[0])  # the samples are their own times: where this excerpt starts
        b = a + samples.size / 16000
        truth = loud + (quiet if threshold == vad.QUIET_VAD_THRESHOLD else [])
        return sorted((Region(max(r.start, a) - a, min(r.end, b) - a) for r in truth if r.end > a and r.start < b
                       and min(r.end, b) - max(r.start, a) >= min_speech_ms / 1000), key=lambda r: r.start)

    monkeypatch.setattr(vad, "_vad", silero)
    times = (np.arange(16000 * 15) / 16000).astype(np.float64)
    regions = [(round(r.start, 2), round(r.end, 2)) for r in vad.speech_regions(times)]
    assert regions == [(1.0, 3.0), (3.8, 5.0), (6.0, 7.0), (7.5, 7.75), (9.0, 11.0)]
    assert vad.QUIET_VAD_THRESHOLD < vad.VAD_THRESHOLD
    so_far = [(round(r.start, 2), round(r.end, 2)) for r in vad.speech_regions(times[: int(9.5 * 16000)])]
    assert so_far == [(1.0, 3.0), (3.8, 5.0), (6.0, 7.0), (7.5, 7.75), (9.0, 9.5)]


def test_a_quiet_speaker_keeps_their_words(engine):
    """Optional, with ../shared: a Common Voice speaker the VAD scores 0.3-0.45 all through ("He seems pretty
    adaptable.", between louder speakers) was left out of the transcript."""
    import json

    d = shared("eval", "audio_real")
    m = {m["id"]: m for m in json.loads((d / "manifest.json").read_text())}["cv03"]
    a = analyze_samples(load_audio(d / m["file"]), engine)
    assert "seems pretty adaptable" in a["transcript"]["text"].lower()


def spontaneous_recording(recording_id: str):
    """One recording of the spontaneous-speech cache (benchmarks/spontaneous_speech.py): its manifest entry and
    its samples; the test is skipped when the cache or the recording is not there."""
    import json

    from benchmarks.spontaneous_speech import cache_dir

    manifest = cache_dir() / "manifest.json"
    if not manifest.is_file():
        pytest.skip(f"optional development data not present: {manifest}")
    m = {m["id"]: m for m in json.loads(manifest.read_text())}.get(recording_id)
    if m is None:
        pytest.skip(f"the recording {recording_id} is not in {manifest}")
    return m, load_audio(manifest.parent / m["file"])


def test_a_real_conversation_is_english_and_keeps_its_words(engine):
    """Optional, with the spontaneous-speech cache (benchmarks/spontaneous_speech.py): 7.5 minutes of a real,
    unscripted doctor-patient interview. Short unsure stretches heard again together once made it "not English"."""
    m, samples = spontaneous_recording("osce-car0004")
    a = analyze_samples(samples, engine)
    assert not any("English" in w for w in a["warnings"]), a["warnings"]
    import jiwer

    from benchmarks.accuracy import norm  # um/uh out of both sides, numbers as digits: what the benchmark scores

    assert jiwer.wer(norm(m["reference_text"]), norm(a["transcript"]["verbatim"])) <= 0.2  # 0.149; plain Whisper 0.152


def test_a_quiet_okay_between_turns_keeps_its_word(engine):
    """Optional, with the spontaneous-speech cache: the doctor's quiet "okay" after the patient's "No." (0.3 s,
    scored under 0.5 by the VAD, in 4 s between turns) was cut out with the silence around it."""
    _, samples = spontaneous_recording("osce-car0003")
    start = 270.0
    a = analyze_samples(samples[int(start * 16000):int(310.0 * 16000)], engine)
    said = [(w["word"], w["start"] + start) for w in a["transcript"]["words"]]
    assert any(w.strip(".,").lower() == "okay" and 294.0 <= t <= 297.5 for w, t in said), said


def test_a_held_word_takes_its_time_from_the_other_reading(engine):
    """Optional, with the spontaneous-speech cache: "Yeah. So... this um, chest pain" at the start of CAR0005. The
    plain reading gave the held "So" no length (7.452-7.452), which left 1.2 s of speech without words."""
    _, samples = spontaneous_recording("osce-car0005")
    a = analyze_samples(samples[:int(30.0 * 16000)], engine)
    words = a["transcript"]["words"]
    so = [w for w in words if w["word"].strip(".,").lower() == "so" and 6.0 <= w["start"] <= 7.6]
    assert so and so[0]["end"] - so[0]["start"] >= 0.5, words


def test_a_restart_in_real_speech_keeps_both_its_times(engine):
    """Optional, with the spontaneous-speech cache: "Uh, I couldn't go, uh, I couldn't go to my classes" at 17 s of
    GAS0004. The plain reading wrote "I couldn't go" once, which left 1.6 s of speech without words."""
    _, samples = spontaneous_recording("osce-gas0004")
    first_30_s = samples[:int(30.0 * 16000)]
    words = analyze_samples(first_30_s, engine)["transcript"]["words"]
    went = [w["start"] for w in words if w["word"].strip(".,").lower() == "couldn't" and 17.0 <= w["start"] <= 21.0]
    assert len(went) == 2, words
    assert longest_uncovered(first_30_s, words) <= 1.0


def test_a_word_the_alignment_gave_no_time_covers_the_speech_it_was_said_in(engine):
    """Optional, with the spontaneous-speech cache: "Okay, and where exactly" at 6 s of MSK0001, both readings'
    "and" at 7.24-7.28, left 1.14 s of speech without words, though no word was lost."""
    _, samples = spontaneous_recording("osce-msk0001")
    first_30_s = samples[:int(30.0 * 16000)]
    words = analyze_samples(first_30_s, engine)["transcript"]["words"]
    assert longest_uncovered(first_30_s, words) <= 1.0, words


def test_a_word_laid_wholly_over_a_found_hesitation_takes_the_wordless_speech_before_it(monkeypatch):
    """A real "Okay. And um, how" (GAS0002 at 243 s, 241 s earlier here): the reading timed "And" inside the sound
    of the "um" the encoder heard, so the hesitation left it no time at the um's edge, and the drawn-out "and"
    before it (1.2 s) stood as speech without words. The word is given that speech, as a word both readings gave
    no time is (`timed_into_wordless`)."""
    raw = [RawWord("Okay.", 1.4, 1.8, 0.9), RawWord("And", 3.2, 3.4, 0.9), RawWord("how", 5.6, 5.9, 0.9)]
    um = Hesitation("um", 3.0, 3.8, 0.9, vowel_share=0.9)
    monkeypatch.setattr(analysis, "transcribe_stretch", lambda engine, samples, group, context: (raw, [], [um]))
    noise = np.random.default_rng(0).standard_normal(16000 * 7).astype(np.float32) * 1e-3
    speech = [Region(1.4, 3.8), Region(5.6, 5.9)]
    words, _ = analysis._transcribe_regions(None, noise, speech)
    timed = {w.word: (w.start, w.end) for w in words}
    assert list(timed) == ["Okay.", "And", "um", "how"], words
    assert timed["And"][0] < 3.0 and timed["And"][1] - timed["And"][0] >= analysis.MIN_WORD_S, words
    assert max(b - a for a, b in uncovered_runs(speech, words)) < 1.0, words


@pytest.mark.parametrize("voice", ["en-us", NEURAL])
def test_set_off_fillers_through_a_room_count_and_verbs_do_not(engine, tmp_path, voice):
    """An answer played through a simulated room (echo and a little noise): the "like"s and "you know"s said as
    fillers, set off by a short pause, are found; "I like Python", "would like to" and "do you know the answer"
    stay verbs."""
    from benchmarks.accuracy import in_a_room

    if voice == NEURAL and not neural_voice_available():
        pytest.skip("the neural voice is not installed")
    truth = speak_answer(ROOM_SCRIPT, tmp_path / "room.wav", voice=voice)
    a = analyze_samples(in_a_room(load_audio(truth.path)), engine)
    found = [f for f in a["delivery"]["fillers"]["items"] if f["word"] in ("like", "you know")]
    true = [f for f in truth.filler_items if f["word"] in ("like", "you know")]

    def near(f, g):
        return f["start"] < g["end"] + 0.6 and g["start"] < f["end"] + 0.6 and f["word"] == g["word"]

    assert all(any(near(f, t) for t in true) for f in found), (found, a["transcript"]["verbatim"])
    assert sum(any(near(f, t) for f in found) for t in true) >= len(true) - 1, (found, a["transcript"]["verbatim"])
