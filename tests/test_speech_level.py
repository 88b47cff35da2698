"""A quiet microphone: the model hears the speech turned up to the level it knows (the words survive), the
delivery figures still come from the audio as it was, and the person is told their microphone is quiet."""
import numpy as np
import pytest

from conftest import JFK, wer
from speech_fixtures import JFK_TEXT, espeak_available, say
from test_transcript_keeps_words import DENSE
from voice_interviewer import vad
from voice_interviewer.analysis import QUIET_MICROPHONE_DB, analyze_samples, transcribe_all
from voice_interviewer.audio import load_audio
from voice_interviewer.config import SAMPLE_RATE
from voice_interviewer.vad import (MAX_GAIN_DB, SPEECH_LEVEL_DB, Region, at_speech_level, speech_gain_db,
                                   speech_level_db)

QUIET_DB = -30.0


def db(x: float) -> float:
    return 10 ** (x / 20)


def tone_bursts(level_dbfs: float, seconds: float = 3.0) -> tuple[np.ndarray, list[Region]]:
    """A 200 Hz tone (RMS at `level_dbfs`) from 1 s to 1 + `seconds`, silence around it."""
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    tone = (np.sqrt(2) * db(level_dbfs) * np.sin(2 * np.pi * 200 * t)).astype(np.float32)
    silence = np.zeros(SAMPLE_RATE, dtype=np.float32)
    return np.concatenate([silence, tone, silence]), [Region(1.0, 1.0 + seconds)]


def test_quiet_speech_is_brought_up_to_the_level_the_model_hears():
    x, regions = tone_bursts(-45.0)
    assert speech_level_db(x, regions) == pytest.approx(-45.0, abs=0.1)
    assert speech_gain_db(x, regions) == pytest.approx(SPEECH_LEVEL_DB + 45.0, abs=0.1)
    assert speech_level_db(at_speech_level(x, regions), regions) == pytest.approx(SPEECH_LEVEL_DB, abs=0.1)


def test_speech_at_the_usual_level_is_left_as_it_is():
    x, regions = tone_bursts(SPEECH_LEVEL_DB + 8)
    assert speech_gain_db(x, regions) == 0.0
    assert at_speech_level(x, regions) is x


def test_hiss_is_not_turned_up_without_limit_and_peaks_stay_in_range():
    x, regions = tone_bursts(-90.0)
    assert speech_gain_db(x, regions) == MAX_GAIN_DB
    x[SAMPLE_RATE + 100] = 0.5  # a click far above the quiet speech
    y = at_speech_level(x, regions)
    assert np.abs(y).max() <= 1.0 and y.dtype == np.float32
    assert speech_gain_db(np.zeros(SAMPLE_RATE, np.float32), []) == 0.0  # no speech, nothing to measure


class ListeningEngine:
    """Real Whisper, and the level of every clip it was handed."""

    def __init__(self, engine):
        self.engine, self.levels = engine, []
        self.name, self.model_name = engine.name, engine.model_name

    def transcribe(self, samples, **kw):
        self.levels.append(speech_level_db(samples, vad.speech_regions(samples)))
        return self.engine.transcribe(samples, **kw)

    def __getattr__(self, name):  # the hesitation detector's encoder pass
        return getattr(self.engine, name)


@pytest.mark.skipif(not espeak_available(), reason="espeak-ng not installed")
def test_the_model_hears_a_quiet_answer_at_the_usual_level(engine):
    """The level changes Whisper's input (its log-mel features are not normalised for level): on a quiet
    microphone it left out words (benchmarks/accuracy.py --gain-db -26, README)."""
    quiet = (say(DENSE, "en-us") * db(QUIET_DB)).astype(np.float32)
    listening = ListeningEngine(engine)
    words, _, _ = transcribe_all(listening, quiet)
    assert listening.levels and all(abs(level - SPEECH_LEVEL_DB) < 2.0 for level in listening.levels), listening.levels
    assert wer(DENSE, " ".join(w.word for w in words)) <= 0.25


def test_real_speech_from_a_quiet_microphone(engine):
    loud = load_audio(JFK)
    quiet = (loud * db(QUIET_DB)).astype(np.float32)
    analysis = analyze_samples(quiet, engine)
    assert wer(JFK_TEXT, analysis["transcript"]["text"]) <= 0.05
    warning = [w for w in analysis["warnings"] if "microphone was quiet" in w]
    assert len(warning) == 1, analysis["warnings"]
    # the level the person is shown is the one they recorded at, not the one the model heard
    as_said = analyze_samples(loud, engine)
    assert analysis["delivery"]["volume"]["mean_dbfs"] == pytest.approx(
        as_said["delivery"]["volume"]["mean_dbfs"] + QUIET_DB, abs=1.0)
    assert not [w for w in as_said["warnings"] if "microphone was quiet" in w]
    assert speech_level_db(loud, vad.speech_regions(loud)) > QUIET_MICROPHONE_DB > speech_level_db(
        quiet, vad.speech_regions(quiet))
