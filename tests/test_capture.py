"""End-of-answer logic on constructed level sequences, the question bank, and the crash-safe WAV."""
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import soundfile as sf

from voice_interviewer.capture import (
    BLOCK_S, END_MAX_TIME, END_NO_SPEECH, END_SILENCE, Endpointer, block_db,
)
from voice_interviewer.errors import UserError
from voice_interviewer.questions import load_bank, parse_bank
from voice_interviewer.wavwriter import CrashSafeWavWriter, repair_wav


def run(levels, **kw):
    e = Endpointer(**kw)
    for i, db in enumerate(levels):
        reason = e.feed(db)
        if reason:
            return reason, (i + 1) * BLOCK_S, e
    return None, len(levels) * BLOCK_S, e


def seconds(db, s):
    return [db] * int(round(s / BLOCK_S))


def test_answer_ends_after_end_silence():
    reason, t, e = run(seconds(-70, 2) + seconds(-20, 10) + seconds(-70, 10), end_silence=4)
    assert reason == END_SILENCE
    assert t == pytest.approx(2 + 10 + 4, abs=0.11)
    assert e.speech_started == pytest.approx(2, abs=0.11)


def test_pauses_shorter_than_end_silence_do_not_end_the_answer():
    levels = seconds(-70, 1) + (seconds(-20, 3) + seconds(-70, 3)) * 4 + seconds(-70, 5)
    reason, t, _ = run(levels, end_silence=4)
    assert reason == END_SILENCE and t > 1 + 4 * 6


def test_no_speech_times_out():
    reason, t, _ = run(seconds(-70, 30), start_timeout=20)
    assert reason == END_NO_SPEECH and t == pytest.approx(20, abs=0.06)


def test_a_click_is_not_speech():
    reason, _, e = run(seconds(-70, 2) + [-10] + seconds(-70, 25), start_timeout=20)
    assert reason == END_NO_SPEECH and e.speech_started is None


def test_max_time():
    reason, t, _ = run(seconds(-20, 200), max_seconds=180)
    assert reason == END_MAX_TIME and t == pytest.approx(180, abs=0.06)


def test_noise_floor_adapts_to_a_noisy_room():
    # a steady -45 dB room: speech at -25 dB starts the answer, the room itself does not
    reason, _, e = run(seconds(-45, 25), start_timeout=20)
    assert reason == END_NO_SPEECH
    reason, _, e = run(seconds(-45, 3) + seconds(-25, 5) + seconds(-45, 5), end_silence=4)
    assert reason == END_SILENCE


def test_flat_input_is_flagged():
    e = Endpointer()
    for _ in range(int(3.2 / BLOCK_S)):
        e.feed(-120.0, flat=True)
    assert e.input_flat


def test_block_db():
    assert block_db(np.zeros(10, np.float32)) == pytest.approx(-120)
    assert block_db(np.full(10, 0.1, np.float32)) == pytest.approx(-20, abs=0.01)


def test_shipped_bank_has_the_four_common_questions():
    bank = load_bank()
    texts = [q.text for q in bank.questions]
    for q in ("What has been your biggest failure?", "Tell me about a time when you failed and what you learned from it.",
              "Can you give me an example of a time when you didn't meet a goal?", "How do you handle failure?"):
        assert q in texts
    assert all(q.tip for q in bank.questions)
    assert set(bank.follow_up) == {"lesson", "applied", "ownership", "blame"}
    picked = bank.pick(5, seed=2)
    assert len({q.id for q in picked}) == 5 and picked == bank.pick(5, seed=2)


def test_malformed_bank_names_the_line():
    with pytest.raises(UserError, match="line 3"):
        parse_bank('[[question]]\nid = "a"\ntext = "unterminated\n', "q.toml")
    with pytest.raises(UserError, match="no questions"):
        parse_bank("", "q.toml")
    with pytest.raises(UserError, match="twice"):
        parse_bank('[[question]]\nid="a"\ntext="x"\n[[question]]\nid="a"\ntext="y"\n', "q.toml")


def test_unknown_question_id_suggests_near_names():
    with pytest.raises(UserError, match="biggest-failure"):
        load_bank().get("biggest-failur")


WRITER = r"""
import os, sys, time, numpy as np
from voice_interviewer.wavwriter import CrashSafeWavWriter
w = CrashSafeWavWriter(sys.argv[1])
t = np.arange(800) / 16000
block = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
n = 0
while True:
    w.write(block)
    n += 1
    # the test's own progress mark, replaced whole: a kill between opening and writing it left it empty
    with open(sys.argv[2] + ".part", "w") as f:
        f.write(str(n * 800 / 16000))
    os.replace(sys.argv[2] + ".part", sys.argv[2])
    time.sleep(0.05)
"""


def test_wav_survives_kill_9(tmp_path):
    wav, progress = tmp_path / "answer.wav", tmp_path / "written"
    p = subprocess.Popen([sys.executable, "-c", WRITER, str(wav), str(progress)])
    time.sleep(3.3)
    p.send_signal(signal.SIGKILL)
    p.wait()
    captured = float(progress.read_text())
    info = sf.info(str(wav))  # readable as it is, no repair
    assert captured - info.duration <= 0.5 + 0.05
    assert oct(os.stat(wav).st_mode & 0o777) == "0o600"
    assert repair_wav(wav) == pytest.approx(captured, abs=0.06)
    assert sf.info(str(wav)).duration == pytest.approx(captured, abs=0.06)


def test_writer_close_and_repair_of_a_lying_header(tmp_path):
    wav = tmp_path / "a.wav"
    with CrashSafeWavWriter(wav) as w:
        w.write(np.zeros(16000, np.float32))
    assert sf.info(str(wav)).duration == pytest.approx(1.0)
    with open(wav, "ab") as f:
        f.write(b"\x00\x01" * 8000)  # half a second the header does not know about
    assert repair_wav(wav) == pytest.approx(1.5)


def endpoint_recording(x, noise_db=-75.0, lead_s=1.0, tail_s=8.0, end_silence=4.0):
    """The endpointer on a recording, block by block as capture feeds it, after a lead-in, over a noise floor."""
    rate = 16_000
    y = np.concatenate([np.zeros(int(lead_s * rate)), x, np.zeros(int(tail_s * rate))])
    y = y + np.random.default_rng(0).normal(0, 10 ** (noise_db / 20), y.size)
    n = int(BLOCK_S * rate)
    return run([block_db(y[i:i + n]) for i in range(0, y.size - n + 1, n)], end_silence=end_silence)


@pytest.mark.parametrize("source", ["jfk", "espeak"])
def test_a_quiet_microphone_is_not_cut_off(source, tmp_path):
    """Speech whose loud end is at -50 dBFS (a microphone turned down: 15 dB under the level that warns) is heard
    to its end, and the answer then ends after the usual silence; it used to end mid-answer."""
    from speech_fixtures import JFK, espeak_available, spoken_answer
    from voice_interviewer import vad
    from voice_interviewer.audio import load_audio

    if source == "espeak":
        if not espeak_available():
            pytest.skip("needs espeak-ng")
        x = load_audio(spoken_answer("deadline", tmp_path).path)
    else:
        x = load_audio(JFK)
    level = np.percentile(vad.frame_db(x, vad.LEVEL_FRAME_S), vad.SPEECH_LEVEL_PERCENTILE)
    x = x * 10 ** ((-50 - level) / 20)
    frames = vad.frame_db(x, vad.LEVEL_FRAME_S)
    last_sound_s = 1.0 + (np.nonzero(frames > -80)[0][-1] + 1) * vad.LEVEL_FRAME_S
    reason, t, e = endpoint_recording(x)
    assert reason == END_SILENCE and e.speech_started is not None
    assert last_sound_s - 1.0 < e.last_speech <= last_sound_s + 0.2 and t <= last_sound_s + 4.0 + 0.2, (t, last_sound_s)
