"""kill -9 in the middle of an answer loses at most half a second, and the take is recovered next time."""
import json
import os
import signal
import subprocess
import sys
import threading
import time

import soundfile as sf

from conftest import AUDIO_DEV, run_cli
from virtual_mic import VirtualMic, require_virtual_mic


def test_kill_9_mid_answer_then_recover(tmp_path):
    require_virtual_mic()
    mic = VirtualMic()
    rec = tmp_path / "rec"
    try:
        env = {**mic.environ(), "VOICE_INTERVIEWER_CONFIG": str(tmp_path / "none.toml")}
        proc = subprocess.Popen([sys.executable, "-m", "voice_interviewer", "practice", "--count", "1", "--no-speak",
                                 "--recordings", str(rec)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, env=env)
        started = threading.Event()
        t_start = []

        def read():
            for line in proc.stdout:
                if line.startswith("Recording"):
                    t_start.append(time.monotonic())
                    started.set()

        threading.Thread(target=read, daemon=True).start()
        assert started.wait(60)
        player = threading.Thread(target=mic.play, args=(AUDIO_DEV / "d01.flac",), daemon=True)
        player.start()
        time.sleep(8.0)
        killed_at = time.monotonic()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        recorded = killed_at - t_start[0]
        wavs = list(rec.glob("*/*/answer.wav"))
        assert len(wavs) == 1
        info = sf.info(str(wavs[0]))  # readable as it is, before any repair
        loss = recorded - info.duration
        print(f"recorded {recorded:.2f} s before kill -9; {info.duration:.2f} s on disk; loss {loss:.2f} s")
        assert loss <= 0.5 + 0.25  # at most the last half second (+ the sound server's own buffering)
        meta = json.loads((wavs[0].parent / "take.json").read_text())
        assert meta["status"] == "recording"
        player.join(60)
    finally:
        mic.stop()
    r = run_cli("recover", "--recordings", str(rec))
    assert r.returncode == 0, r.stderr
    assert "recovered 1 take from" in r.stdout
    take = wavs[0].parent
    analysis = json.loads((take / "analysis.json").read_text())
    assert analysis["recovered"] is True and analysis["delivery"]["word_count"] > 5
    assert json.loads((take / "take.json").read_text())["status"] == "analysed"
    r = run_cli("recover", "--recordings", str(rec))
    assert "nothing to recover" in r.stdout
