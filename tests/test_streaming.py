"""Transcribing while the person speaks gives the same result as transcribing the whole file."""
import math
import time

import numpy as np

from conftest import AUDIO_DEV, wer
from voice_interviewer.analysis import analyze_samples, transcribe_words
from voice_interviewer.audio import load_audio
from voice_interviewer.streaming import MIN_STRETCH_S, StreamingTranscriber, find_cut


def answer():
    parts = [load_audio(AUDIO_DEV / f"{i}.flac") for i in ("d01", "d06")]
    return np.concatenate(parts + [np.zeros(16000 * 3, np.float32)])


def feed(st, x, block=800, speed=None):
    t0 = time.monotonic()
    for i in range(0, x.size, block):
        st.feed(x[i:i + block])
        if speed:
            delay = t0 + (i + block) / 16000 / speed - time.monotonic()
            if delay > 0:
                time.sleep(delay)


def test_streamed_and_whole_file_paths_agree(engine, manifest):
    x = answer()
    st = StreamingTranscriber(engine)
    feed(st, x, speed=8)
    words, warnings = st.finish()
    assert st.stretches >= 3  # it really transcribed while "recording"
    streamed = analyze_samples(x, engine, words=words, warnings=warnings, speech=st.speech)
    whole = analyze_samples(x, engine)
    # tiny.en's words shift a little with the context a stretch gives it; both stay as true to the speech
    assert wer(whole["transcript"]["verbatim"], streamed["transcript"]["verbatim"]) <= 0.15
    reference = " ".join(m["reference_text"] for m in (manifest["d01"], manifest["d06"]))
    assert wer(reference, streamed["transcript"]["text"]) <= wer(reference, whole["transcript"]["text"]) + 0.05
    ds, dw = streamed["delivery"], whole["delivery"]
    assert abs(ds["word_count"] - dw["word_count"]) <= 4
    assert abs(ds["wpm"] - dw["wpm"]) / dw["wpm"] <= 0.05
    true_fillers = manifest["d01"]["filler_total"] + manifest["d06"]["filler_total"]
    assert abs(ds["fillers"]["total"] - true_fillers) <= 2 and abs(dw["fillers"]["total"] - true_fillers) <= 2
    assert ds["pauses"]["count"] == dw["pauses"]["count"]


class SlowEngine:
    """The real engine, made slow: the worker falls far behind the recorder."""

    def __init__(self, engine, delay):
        self.engine, self.delay = engine, delay
        self.name, self.model_name = engine.name, engine.model_name

    def transcribe(self, samples, **kw):
        time.sleep(self.delay)
        return self.engine.transcribe(samples, **kw)


def test_a_slow_worker_loses_no_audio(engine):
    x = answer()
    st = StreamingTranscriber(SlowEngine(engine, 0.5))
    t0 = time.monotonic()
    feed(st, x)  # as fast as possible: feed must never wait for the worker
    assert time.monotonic() - t0 < 2.0
    assert st.received_seconds == x.size / 16000
    words, _ = st.finish()
    assert np.array_equal(st.audio(), x)
    whole, _ = transcribe_words(engine, x)
    assert abs(len(words) - len(whole)) <= 4
    assert words[-1].end > (x.size / 16000) - 6


def test_find_cut_waits_for_a_finished_pause():
    sr = 16000
    speech = load_audio(AUDIO_DEV / "d12.flac")[sr: int(5.5 * sr)]  # 4.5 s of speech
    assert find_cut(np.zeros(sr * 5, np.float32)) is None
    assert find_cut(np.concatenate([speech, np.zeros(int(1.5 * sr), np.float32), speech])) is None  # too short yet
    long_speech = np.concatenate([speech] * math.ceil(MIN_STRETCH_S / 4.5))
    x = np.concatenate([long_speech, np.zeros(int(1.5 * sr), np.float32), speech])
    cut = find_cut(x)
    assert cut is not None and cut / sr >= MIN_STRETCH_S
    assert np.abs(x[cut - 1600: cut + 1600]).max() < 0.01  # inside a silence, never through a word
