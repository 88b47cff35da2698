"""A hesitation the model leaves out of the running transcript is found from the audio ("acoustic").

Whisper drops many "um"s of real speech; a real hesitation is a held hum at a level pitch. The hum here
is espeak-ng's "ummm" with its pitch made level by Praat's PSOLA resynthesis, put into a real answer.
"""
import subprocess

import numpy as np
import pytest

from voice_interviewer import analysis
from voice_interviewer.audio import load_audio
from voice_interviewer.fillers import voiced_hesitation
from voice_interviewer.vad import speech_regions


@pytest.fixture(scope="module")
def level_hum(tmp_path_factory) -> np.ndarray:
    import parselmouth
    from parselmouth.praat import call

    wav = tmp_path_factory.mktemp("hum") / "um.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "90", "-w", str(wav), "ummmm"], check=True)
    snd = parselmouth.Sound(str(wav)).resample(16000)
    manipulation = call(snd, "To Manipulation", 0.01, 75, 500)
    tier = call("Create PitchTier", "level", snd.xmin, snd.xmax)
    call(tier, "Add point", snd.xmin, 105.0)
    call(tier, "Add point", snd.xmax, 100.0)
    call([tier, manipulation], "Replace pitch tier")
    return call(manipulation, "Get resynthesis (overlap-add)").values[0].astype(np.float32)


def with_hum(hum, answer, pause=-1):
    x = load_audio(answer.path)
    at = answer.pauses_over_1s[pause]["start"] + 0.3  # inside a silence between sentences
    return np.concatenate([x[: int(at * 16000)], hum, x[int(at * 16000):]]), at, hum.size / 16000


@pytest.mark.parametrize("name,pause", [("deadline", 0), ("deadline", -1), ("migration", -1)])
def test_a_hesitation_the_model_left_out_is_found_once(engine, spoken, level_hum, name, pause):
    assert voiced_hesitation(level_hum) is not None
    y, at, length = with_hum(level_hum, spoken[name], pause)
    regions = speech_regions(y)
    words, _ = analysis.transcribe_words(engine, y, regions=regions)
    here = [w for w in words if w.filler and at - 0.2 < w.start < at + length]
    assert len(here) == 1, [(w.word, w.start, w.source) for w in words if w.filler]  # counted, and only once
    # the same answer as if the model had dropped it from the transcript (as it does on real speech)
    dropped = [w for w in words if w not in here]
    found = analysis.acoustic_fillers(engine, y, regions, dropped)
    assert [(w.word, w.source) for w in found] == [("um", "acoustic")]
    assert at - 0.1 <= found[0].start < found[0].end <= at + length + 0.1


def test_ordinary_words_are_not_taken_for_hesitations(engine, spoken):
    """On the answers as spoken (fillers written by the model), nothing acoustic is added."""
    for name, answer in spoken.items():
        y = load_audio(answer.path)
        words, _ = analysis.transcribe_words(engine, y)
        assert not [w for w in words if w.source == "acoustic"], name


def test_a_clip_of_a_word_or_two_is_encoded_as_long_as_it_is(engine, level_hum, monkeypatch):
    """The confirming pass hears the hum and a second of silence, not 30 s of padding (a tenth of the encoder's
    work), and still hears the hum; a full reading still gets Whisper's whole 30 s window."""
    shapes = []
    encode = engine._model.encode

    def spy(features):
        out = encode(features)
        shapes.append(tuple(out.shape))
        return out

    monkeypatch.setattr(engine._model, "encode", spy)
    clip = np.concatenate([np.zeros(1600, np.float32), level_hum, np.zeros(1600, np.float32)])
    assert analysis.confirm_apart(engine, clip, 0.1, 0.1 + level_hum.size / 16000) == "um"
    seconds = np.ceil(clip.size / 16000 + analysis.ACOUSTIC_TRAILING_SILENCE_S)
    assert shapes and all(s[1] == seconds * 50 for s in shapes), shapes  # one encoder position per 20 ms
    shapes.clear()
    engine.transcribe(clip)
    assert shapes and shapes[-1][1] == 1500
