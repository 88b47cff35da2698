"""The analysis on real speech with the real embedded model."""
import numpy as np
import pytest

import subprocess

from conftest import JFK, JFK_TEXT, shared, wer
from speech_fixtures import say
from voice_interviewer.analysis import NO_SPEECH, analyze_samples
from voice_interviewer.audio import load_audio


def test_jfk_transcribed_correctly(engine):
    a = analyze_samples(load_audio(JFK), engine)
    assert wer(JFK_TEXT, a["transcript"]["text"]) == 0
    assert a["delivery"]["fillers"]["total"] == 0
    assert a["transcript"]["model"] and a["transcript"]["engine"] == "faster-whisper"


@pytest.mark.parametrize("voice", ["espeak", "neural"])
@pytest.mark.parametrize("name", ["deadline", "migration"])
def test_spoken_answer_matches_its_truth(engine, request, name, voice):
    m = request.getfixturevalue("spoken" if voice == "espeak" else "spoken_neural")[name]
    a = analyze_samples(load_audio(m.path), engine)
    d = a["delivery"]
    assert wer(m.reference_text, a["transcript"]["text"]) < 0.3
    assert abs(d["wpm"] - m.wpm) / m.wpm < 0.10
    assert d["speech_start_s"] == pytest.approx(m.speech_start_s, abs=0.25)
    # every true pause of 1 s or more is found where it was
    for p in m.pauses_over_1s:
        assert any(q["start"] < p["end"] and p["start"] < q["end"] for q in d["pauses"]["items"])
    assert d["pauses"]["count"] == len(m.pauses_over_1s)
    hes_true = m.fillers.get("um", 0) + m.fillers.get("uh", 0)
    hes_found = sum(d["fillers"]["by_word"].get(k, 0) for k in ("um", "uh"))
    assert hes_found - hes_true <= 1  # no more than one hesitation that was not said
    # found: on espeak within one; the neural voice's short "uh"s are still missed about 4 times in 10 (issue 15,
    # open), and Piper's noise changes the fixture from run to run, so there only the benchmark measures it
    if voice == "espeak":
        assert hes_true - hes_found <= 1
    # the verbatim transcript keeps fillers, the clean one does not
    words = a["transcript"]["words"]
    assert all(w["filler"] is False or w["word"] for w in words)
    assert len(a["transcript"]["verbatim"].split()) >= len(a["transcript"]["text"].split())


def test_stereo_and_mp3_are_read(engine, tmp_path):
    mp3 = tmp_path / "jfk-stereo.mp3"  # stereo, 44.1 kHz, lossy: as a phone or an editor would export it
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(JFK), "-ac", "2", "-ar", "44100", "-b:a", "96k", str(mp3)],
                   check=True)
    x = load_audio(mp3)
    assert x.ndim == 1 and x.dtype == np.float32 and abs(x.size / 16000 - 11.0) < 0.1
    a = analyze_samples(x, engine)
    assert wer(JFK_TEXT, a["transcript"]["text"]) <= 0.1


def test_silence_and_noise_give_no_words(engine):
    rng = np.random.default_rng(1)
    n = 30 * 16000
    brown = np.cumsum(rng.normal(0, 1, n))
    brown -= np.convolve(brown, np.ones(1600) / 1600, "same")
    clicks = np.zeros(n, np.float32)
    for t in rng.uniform(0, 30, 150):  # keyboard-like clicks
        i = int(t * 16000)
        clicks[i:i + 80] += rng.normal(0, 0.5, 80) * np.exp(-np.arange(80) / 15)
    for x in (np.zeros(n, np.float32), rng.normal(0, 0.1, n).astype(np.float32),
              (0.1 * brown / np.abs(brown).max()).astype(np.float32), clicks):
        a = analyze_samples(x, engine)
        assert a["transcript"]["words"] == []
        assert NO_SPEECH in a["warnings"]
        assert a["content"] is None


def test_no_invented_words_in_long_silences(engine):
    jfk = load_audio(JFK)
    gap = np.zeros(16000 * 10, np.float32)
    x = np.concatenate([gap, jfk, gap, jfk, gap])
    a = analyze_samples(x, engine)
    spans = [(10.0, 10.0 + jfk.size / 16000), (20.0 + jfk.size / 16000, 20.0 + 2 * jfk.size / 16000)]
    for w in a["transcript"]["words"]:
        assert any(s - 0.3 <= w["start"] and w["end"] <= e + 0.3 for s, e in spans), w
    assert a["delivery"]["word_count"] == 2 * 22


def test_the_same_answer_gives_the_same_transcript(engine):
    """Decoding is deterministic: a phrase said twice (which compresses well, and once sent Whisper into
    sampling at random temperatures) gets the same words on every run."""
    jfk = load_audio(JFK)
    x = np.concatenate([jfk, np.zeros(16000, np.float32), jfk])
    runs = [analyze_samples(x, engine)["transcript"]["verbatim"] for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]
    assert wer(2 * " and so my fellow americans ask not what your country can do for you ask what you can do for your country", runs[0]) <= 0.1


def test_two_readers_and_their_shared_encoder_hear_what_one_reader_hears(engine, spoken):
    """The default engine decodes a clip's two readings side by side on one-core decoders, with the encoder pass
    on a replica of the model that uses every core: the words, their times and the fillers are those of one
    reader doing everything on the model it loaded."""
    from voice_interviewer.transcribe import FasterWhisperEngine

    if engine.readers < 2:
        pytest.skip("one core: the engine has one reader")
    one = FasterWhisperEngine(readers=1)
    x = load_audio(spoken["migration"].path)
    both, alone = analyze_samples(x, engine)["transcript"], analyze_samples(x, one)["transcript"]
    assert both["verbatim"] == alone["verbatim"]
    assert [(w["start"], w["end"]) for w in both["words"]] == [(w["start"], w["end"]) for w in alone["words"]]


GERMAN = ("Ich habe im letzten Jahr ein wichtiges Projekt zu spät abgegeben, weil ich die Arbeit unterschätzt habe. "
          "Seitdem plane ich jede Aufgabe gemeinsam mit dem Team und prüfe den Zeitplan jede Woche.")


def test_speech_in_another_language_is_reported(engine):
    """English, then German (which an English-only model cannot transcribe): the English is kept, and a
    warning says part of the answer was not understood."""
    english = load_audio(JFK)
    german = say(GERMAN, voice="de", rate_wpm=150)
    x = np.concatenate([english, np.zeros(8000, np.float32), german, np.zeros(16000, np.float32)])
    a = analyze_samples(x, engine)
    assert "ask not what your country can do for you" in a["transcript"]["text"].lower()
    assert a["warnings"], a["transcript"]["verbatim"]


def test_the_multilingual_sample_is_reported(engine):
    a = analyze_samples(load_audio(shared("audio", "multilingual.mp3")), engine)
    assert "permission is hereby granted" in a["transcript"]["text"].lower()
    assert any("did not sound like English" in w for w in a["warnings"])
