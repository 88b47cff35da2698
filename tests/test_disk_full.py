"""A full disk loses nothing already captured.

During a take: recording stops, the audio captured so far stays in a valid WAV, one line says what
happened and how many seconds were kept, the analysis of what was captured is shown (and saved if there is
room), and the program exits non-zero without a traceback. `analyze --save` and `reanalyze` likewise.
Two ways: a real small filesystem (a tmpfs the test mounts; skipped where mounting is not allowed), and a
simulated ENOSPC from the WAV writer (always runs).
"""
import errno
import hashlib
import json
import re
import subprocess
import threading

import numpy as np
import pytest
import soundfile as sf

from conftest import JFK, ROOT, run_cli
from virtual_mic import PracticeProcess
from voice_interviewer.answer import LiveAnswer
from voice_interviewer.wavwriter import CrashSafeWavWriter

KEPT = re.compile(r"the disk is full: recording stopped; (\d+\.\d) s of the answer kept in (\S+answer\.wav)")


@pytest.fixture
def small_fs(tmp_path):
    """mount(size) -> a fresh tmpfs of that size, unmounted after the test."""
    mounted = []

    def mount(size: str):
        point = tmp_path / f"fs{len(mounted)}"
        point.mkdir()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(point)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({r.stderr.strip() or r.returncode})")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def config(tmp_path, min_free_mb: float):
    f = tmp_path / "config.toml"
    f.write_text(f"[thresholds]\nmin_free_disk_mb = {min_free_mb}\n")
    return str(f)


def fill(folder, leave_bytes: int = 0) -> None:
    """Fill the filesystem holding `folder`, leaving about `leave_bytes` free."""
    import shutil

    free = shutil.disk_usage(folder).free - leave_bytes
    with open(folder / "filler.bin", "wb") as f:
        try:
            f.write(b"\0" * max(free, 0))
        except OSError:
            pass


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("voice-interviewer: error:")]


# --- the writer and the answer, on their own ------------------------------------------------------------

class FillsUp:
    """A file whose disk fills up: the first write is cut short, the next ones fail with ENOSPC."""

    def __init__(self, f):
        self._f, self.cut = f, False

    def write(self, data):
        if not self.cut:
            self.cut = True
            return self._f.write(bytes(data)[: len(data) // 3])
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name):
        return getattr(self._f, name)


def test_the_wav_keeps_every_whole_block_written_before_the_disk_filled(tmp_path):
    path = tmp_path / "answer.wav"
    w = CrashSafeWavWriter(path)
    w.write(np.full(16000, 0.1, np.float32))
    w._f = FillsUp(w._f)
    with pytest.raises(OSError) as exc:
        w.write(np.full(800, 0.2, np.float32))
    assert exc.value.errno == errno.ENOSPC
    w._f = w._f._f
    w.close()
    x, rate = sf.read(str(path), dtype="float32")
    assert rate == 16000 and x.size == 16000 and path.stat().st_size == 44 + 32000
    assert np.allclose(x, 0.1, atol=1e-4)


def test_a_live_answer_stops_at_the_first_write_error_and_keeps_the_audio_in_memory(tmp_path, engine):
    live = LiveAnswer(tmp_path, engine)
    block = np.zeros(800, np.float32)
    assert all(live.feed(block) for _ in range(40))  # 2 s
    live._writer._f = FillsUp(live._writer._f)
    assert live.feed(block) is False
    assert live.feed(block) is False  # and stays stopped
    assert live.write_error == "the disk is full"
    assert live.seconds_kept == pytest.approx(2.0)
    assert live.transcriber.received_seconds == pytest.approx(2.1)
    live._writer._f = live._writer._f._f
    outcome = live.finish(question="q")
    assert outcome.saved and not outcome.heard
    assert any("2.0 s of the answer kept" in w for w in outcome.analysis["warnings"])
    assert sf.info(str(tmp_path / "answer.wav")).duration == pytest.approx(2.0)


# --- practice through the virtual microphone -----------------------------------------------------------

ENOSPC_AFTER_6_S = """
import errno
from voice_interviewer import wavwriter
_write = wavwriter.CrashSafeWavWriter.write
def write(self, block):
    if self.seconds >= 6.0:
        raise OSError(errno.ENOSPC, "No space left on device")
    _write(self, block)
wavwriter.CrashSafeWavWriter.write = write
"""



def practice_until_the_disk_fills(mic, rec, env, answer):
    run = PracticeProcess(["--count", "2", "--no-speak", "--recordings", str(rec)], env)
    assert run.wait_recording(60), run.output()
    player = threading.Thread(target=mic.play, args=(answer,), daemon=True)
    player.start()
    code = run.proc.wait(240)
    player.join(120)
    return code, run.output()


def check_stopped_take(code, out, *, saved: bool):
    assert code == 1, out
    assert "Traceback" not in out
    lines = error_lines(out)
    assert len(lines) == 1 and lines == [out.strip().splitlines()[-1]], out  # one line, the last one
    m = KEPT.search(lines[0])
    assert m, lines[0]
    kept, wav = float(m.group(1)), m.group(2)
    assert abs(sf.info(wav).duration - kept) < 0.06  # a valid WAV holding what the line says
    assert "Content:" in out or "Pace" in out  # the analysis of what was captured is on screen
    assert ("is saved in" in lines[0]) == saved and ("was not saved" in lines[0]) == (not saved)
    assert out.count("Question:") == 1  # the session did not go on to the next question
    return kept, wav


def test_practice_when_the_writer_fails(mic, tmp_path, spoken):
    (tmp_path / "sitecustomize.py").write_text(ENOSPC_AFTER_6_S)
    rec = tmp_path / "rec"
    env = {**mic.environ(), "PYTHONPATH": f"{tmp_path}:{ROOT}", "VOICE_INTERVIEWER_CONFIG": str(tmp_path / "none.toml")}
    code, out = practice_until_the_disk_fills(mic, rec, env, spoken["deadline"].path)
    kept, wav = check_stopped_take(code, out, saved=True)
    assert kept == pytest.approx(6.0, abs=0.06)
    take = rec.glob("*/*/analysis.json").__next__().parent
    analysis = json.loads((take / "analysis.json").read_text())
    assert analysis["transcript"]["words"] and analysis["duration_s"] >= kept
    assert json.loads((take / "take.json").read_text())["end_reason"] == "write_error"


def test_practice_when_a_small_disk_fills(mic, tmp_path, spoken, small_fs):
    rec = small_fs("640k") / "rec"
    env = {**mic.environ(), "VOICE_INTERVIEWER_CONFIG": config(tmp_path, 0.3)}
    code, out = practice_until_the_disk_fills(mic, rec, env, spoken["deadline"].path)
    kept, wav = check_stopped_take(code, out, saved=False)
    assert 10 < kept <= 640 * 1024 / 32000  # what 640 KiB hold of 16 kHz 16-bit audio, less the JSON files
    take = (rec.glob("*/*/answer.wav").__next__()).parent
    assert not (take / "analysis.json").exists()
    hint = re.search(r"`voice-interviewer reanalyze (\S+)`", error_lines(out)[0]).group(1)
    # once there is room, the take is finished from what was kept
    subprocess.run(["mount", "-o", "remount,size=8m", str(rec.parent)], check=True)
    r = run_cli("reanalyze", hint, "--recordings", str(rec), env={"VOICE_INTERVIEWER_CONFIG": config(tmp_path, 0.3)})
    assert r.returncode == 0, r.stderr
    analysis = json.loads((take / "analysis.json").read_text())
    assert analysis["duration_s"] == pytest.approx(kept, abs=0.06) and analysis["transcript"]["words"]


# --- analyze --save and reanalyze ------------------------------------------------------------------------

def tree_hash(root) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.name != "filler.bin":
            h.update(str(p.relative_to(root)).encode() + p.read_bytes())
    return h.hexdigest()


def test_analyze_save_on_a_full_disk(tmp_path, small_fs, spoken):
    rec = small_fs("400k") / "rec"
    big = spoken["deadline"].path  # about 1.1 MB: its copy does not fit
    r = run_cli("analyze", "--save", "--recordings", str(rec), str(big),
                env={"VOICE_INTERVIEWER_CONFIG": config(tmp_path, 0.1)})
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip().count("\n") == 0, r.stderr
    assert "the disk is full: the take was not saved (the file itself is untouched)" in r.stderr
    assert "Pace" in r.stdout  # the analysis is still shown
    assert not list(rec.glob("*/*/answer.*"))  # no half-copied take left behind
    assert big.is_file() and sf.info(str(big)).duration > 30


def test_reanalyze_on_a_full_disk_keeps_the_previous_analysis(tmp_path, small_fs):
    rec = small_fs("1m") / "rec"
    env = {"VOICE_INTERVIEWER_CONFIG": config(tmp_path, 0.1)}
    assert run_cli("analyze", "--save", "--recordings", str(rec), str(JFK), env=env).returncode == 0
    before = tree_hash(rec)
    fill(rec)
    r = run_cli("reanalyze", "--recordings", str(rec), env=env)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip().count("\n") == 0, r.stderr
    assert "the disk is full" in r.stderr and "kept" in r.stderr
    assert tree_hash(rec) == before
