"""Property-based tests: the metric functions never raise and keep their invariants on any word list."""
import math

import numpy as np
from hypothesis import given, settings, strategies as st

from voice_interviewer import delivery
from voice_interviewer.fillers import tag_fillers
from voice_interviewer.records import Word

times = st.one_of(st.floats(min_value=-5, max_value=400), st.sampled_from([math.nan, math.inf, -math.inf]))
tokens = st.sampled_from(["I", "um", "uh,", "like", "like,", "you", "know,", "failed.", "the", "", "kind", "of"])
word_lists = st.lists(st.builds(lambda w, a, b: Word(w, a, b, 0.5), tokens, times, times), max_size=40)


@settings(max_examples=150, deadline=None)
@given(word_lists)
def test_measure_never_raises_and_keeps_invariants(words):
    d = delivery.measure(tag_fillers(words), np.zeros(1600, np.float32), " ".join(w.word for w in words))
    assert d.word_count >= 0 and d.fillers.total >= 0 and d.pauses.count >= 0
    assert math.isfinite(d.wpm) and d.wpm >= 0 and math.isfinite(d.articulation_wpm)
    assert 0 <= d.fillers.percent <= 100
    for p in d.pauses.items:
        assert d.speech_start_s <= p.start <= p.end <= d.speech_end_s
        assert p.duration_s >= 1.0
    for w in d.pace_windows:
        assert math.isfinite(w.wpm) and w.wpm >= 0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=False, width=32), max_size=4000))
def test_volume_and_pitch_on_arbitrary_arrays(values):
    x = np.nan_to_num(np.asarray(values, dtype=np.float32))
    ws = [Word("a.", 0.0, len(values) / 16000, 0.9)]
    delivery.volume(x, ws)
    delivery.pitch(x)
