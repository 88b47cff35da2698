"""End to end through a real audio path: the question is spoken to the speaker, an answer is played into
the microphone, and the take is recorded, transcribed, analysed and saved."""
import json
import time

import numpy as np
import pytest
import soundfile as sf

from conftest import wer
from virtual_mic import PracticeProcess



def test_practice_one_take_through_the_virtual_microphone(mic, tmp_path, spoken):
    m = spoken["deadline"]
    rec = tmp_path / "recordings"
    speaker_wav = tmp_path / "speaker.wav"
    mic.record_speaker(speaker_wav)
    env = {**mic.environ(), "VOICE_INTERVIEWER_CONFIG": str(tmp_path / "none.toml")}
    run = PracticeProcess(["--count", "1", "--seed", "3", "--recordings", str(rec), "--end-silence", "3"], env)
    assert run.wait_recording(60), run.output()
    time.sleep(0.5)
    mic.play(m.path)
    played_end = time.time()
    assert run.proc.wait(240) == 0, run.output()
    sessions = list(rec.iterdir())
    assert len(sessions) == 1
    takes = [p for p in sessions[0].iterdir() if p.is_dir()]
    assert len(takes) == 1
    take = takes[0]
    for name in ("answer.wav", "transcript.json", "analysis.json", "feedback.md"):
        assert (take / name).is_file(), name
    analysis = json.loads((take / "analysis.json").read_text())
    assert wer(m.reference_text, analysis["transcript"]["text"]) <= 0.2
    meta = json.loads((take / "take.json").read_text())
    assert meta["status"] == "analysed" and meta["end_reason"] == "silence"
    # the take ended within end-silence + 1 s of the end of the played answer (its trailing 1.5 s is silence)
    assert meta["recording_ended_at"] - played_end <= 3 + 1
    session = json.loads((sessions[0] / "session.json").read_text())
    assert session["takes"][0]["take"] == take.name and session["software_version"]
    # the question was spoken to the speaker sink
    time.sleep(0.5)
    audio, rate = sf.read(str(speaker_wav), dtype="float32")
    assert audio.size > rate and float(np.sqrt(np.mean(audio ** 2))) > 0.005
    # and the question is not in the recording: it starts with the answer
    assert analysis["transcript"]["words"][0]["start"] >= 0.3


def test_a_quiet_microphone_through_the_virtual_microphone(mic, tmp_path, spoken):
    """The same answer with its loud end at -46 dBFS (a microphone turned down 30 dB): heard to its end, not
    cut off mid-answer, transcribed, and the feedback says the microphone was quiet."""
    from voice_interviewer import vad

    m = spoken["deadline"]
    x, rate = sf.read(str(m.path), dtype="float32")
    level = np.percentile(vad.frame_db(x, vad.LEVEL_FRAME_S), vad.SPEECH_LEVEL_PERCENTILE)
    quiet = tmp_path / "quiet.wav"
    sf.write(str(quiet), x * 10 ** ((-46 - level) / 20), rate, subtype="FLOAT")
    rec = tmp_path / "recordings"
    env = {**mic.environ(), "VOICE_INTERVIEWER_CONFIG": str(tmp_path / "none.toml")}
    run = PracticeProcess(["--count", "1", "--seed", "3", "--recordings", str(rec), "--end-silence", "3", "--no-speak"], env)
    assert run.wait_recording(60), run.output()
    time.sleep(0.5)
    mic.play(quiet)
    played_end = time.time()
    assert run.proc.wait(240) == 0, run.output()
    take = next(p for s in rec.iterdir() for p in s.iterdir() if p.is_dir())
    meta = json.loads((take / "take.json").read_text())
    assert meta["end_reason"] == "silence"
    # ended after the answer's end (its last 1.5 s are silence), within end-silence + 1 s of it
    assert played_end - 1.5 <= meta["recording_ended_at"] <= played_end + 3 + 1, (meta["recording_ended_at"], played_end)
    analysis = json.loads((take / "analysis.json").read_text())
    assert wer(m.reference_text, analysis["transcript"]["text"]) <= 0.2, analysis["transcript"]["text"]
    assert any("microphone was quiet" in w for w in analysis["warnings"]), analysis["warnings"]
