"""Transcribing while the person speaks gives the same result as transcribing the whole file."""
import time

import numpy as np
import pytest

from conftest import JFK, wer
from voice_interviewer.analysis import analyze_samples, transcribe_words
from voice_interviewer.audio import load_audio
from voice_interviewer.streaming import StreamingTranscriber, settled
from voice_interviewer.vad import CHUNK_MAX_S, Region, closed_window_end, speech_regions, split_windows


ANSWER_PARTS = ("deadline", "migration")


@pytest.fixture(scope="module")
def x(spoken):
    """Two spoken answers back to back (about 65 s, two voices), then 3 s of silence."""
    parts = [load_audio(spoken[name].path) for name in ANSWER_PARTS]
    return np.concatenate(parts + [np.zeros(16000 * 3, np.float32)])


def feed(st, x, block=800, speed=None):
    t0 = time.monotonic()
    for i in range(0, x.size, block):
        st.feed(x[i:i + block])
        if speed:
            delay = t0 + (i + block) / 16000 / speed - time.monotonic()
            if delay > 0:
                time.sleep(delay)


def test_streamed_and_whole_file_paths_agree(engine, spoken, x):
    st = StreamingTranscriber(engine)
    feed(st, x[:-16000 * 3], speed=8)
    feed(st, x[-16000 * 3:], speed=1)  # the silence that ends an answer passes in real time
    words, warnings = st.finish()
    assert st.stretches >= 3  # windows heard while "recording"
    assert st.speculation_used  # the last window was heard in the silence, before the answer ended
    streamed = analyze_samples(x, engine, words=words, warnings=warnings, speech=st.speech)
    whole = analyze_samples(x, engine)
    # the same windows, framed alike for the VAD: the same words at the same times
    assert streamed["transcript"]["verbatim"] == whole["transcript"]["verbatim"]
    ws, ww = streamed["transcript"]["words"], whole["transcript"]["words"]
    assert max(abs(a["start"] - b["start"]) + abs(a["end"] - b["end"]) for a, b in zip(ws, ww)) < 0.02
    reference = " ".join(spoken[name].reference_text for name in ANSWER_PARTS)
    assert wer(reference, streamed["transcript"]["text"]) <= 0.2
    ds, dw = streamed["delivery"], whole["delivery"]
    assert ds["word_count"] == dw["word_count"]
    assert abs(ds["wpm"] - dw["wpm"]) / dw["wpm"] <= 0.01
    assert ds["fillers"]["by_word"] == dw["fillers"]["by_word"]
    true_fillers = sum(spoken[name].filler_total for name in ANSWER_PARTS)
    assert abs(ds["fillers"]["total"] - true_fillers) <= 2
    assert ds["pauses"]["count"] == dw["pauses"]["count"]


class SlowEngine:
    """The real engine, made slow: the worker falls far behind the recorder."""

    def __init__(self, engine, delay):
        self.engine, self.delay = engine, delay
        self.name, self.model_name = engine.name, engine.model_name

    def transcribe(self, samples, **kw):
        time.sleep(self.delay)
        return self.engine.transcribe(samples, **kw)


def test_a_slow_worker_loses_no_audio(engine, x):
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


def test_a_window_closes_only_when_speech_no_longer_fits():
    assert closed_window_end([]) is None
    fits = [Region(0.5 + 5 * i, 4.5 + 5 * i) for i in range(5)]  # 20 s of speech, short pauses: one window
    assert closed_window_end(fits) is None
    more = fits + [Region(25.5, 33.0)]  # 7.5 s more would not fit in CHUNK_MAX_S
    assert CHUNK_MAX_S < 20 + 4 * 1.0 + 1.0 + 7.5
    assert closed_window_end(more) == (fits[-1].end + 25.5) / 2


def test_the_cut_falls_in_a_silence_of_real_speech():
    sr = 16000
    speech = load_audio(JFK)[int(0.3 * sr): int(4.8 * sr)]  # 4.5 s of speech
    gap = np.zeros(int(0.8 * sr), np.float32)
    x = np.concatenate([speech, gap] * 7)
    regions = speech_regions(x)
    cut = closed_window_end(regions)
    assert cut is not None and 20 < cut < 35
    assert np.abs(x[int((cut - 0.1) * sr): int((cut + 0.1) * sr)]).max() < 0.01  # never through a word


def test_settled_after_a_moment_of_silence():
    assert not settled([], 10.0)
    assert not settled([Region(1.0, 9.5)], 10.0)
    assert settled([Region(1.0, 8.5)], 10.0)


def test_windows_found_on_the_audio_so_far_are_the_whole_files_windows(x):
    whole, _ = split_windows(x, final=True)
    assert len(whole) >= 3 and all(a.end == b.start for a, b in zip(whole, whole[1:]))
    seen = set()
    for k in range(16000, x.size, 16000):  # what the live path has after each second
        closed, _ = split_windows(x[:k], final=False)
        assert closed == whole[:len(closed)]
        seen.add(len(closed))
    assert seen >= set(range(len(whole)))  # every window closed while "recording", the last one at the end
